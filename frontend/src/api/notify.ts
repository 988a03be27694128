import { notifications } from '@mantine/notifications';
import { sentence } from '../format/text';
import { ApiError } from './errors';

/** A short confirmation after something changed. */
export function notifySuccess(message: string, title?: string): void {
  notifications.show({ color: 'teal', title, message, autoClose: 4000 });
}

/** A failed change that has no form to show it in: what was tried, and the server's reason. */
export function notifyFailure(title: string, error: unknown): void {
  let message: string;
  if (error instanceof ApiError) {
    message = error.detail ? sentence(error.detail) : error.title;
    if (error.code === 'forbidden') message = `You don't have permission to do this. ${error.detail ? sentence(error.detail) : ''}`.trim();
  } else {
    message = error instanceof Error ? error.message : String(error);
  }
  notifications.show({ color: 'red', title, message, autoClose: 8000 });
}
