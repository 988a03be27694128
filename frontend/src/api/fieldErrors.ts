import { sentence } from '../format/text';
import type { ApiError } from './errors';

/**
 * A problem's `errors[]` split for a form: messages for the fields the form
 * shows (by field name), and the rest, which the form lists in one alert.
 */
export function splitFieldErrors(
  error: ApiError | null | undefined,
  fields: readonly string[],
): { byField: Record<string, string>; other: string[] } {
  const byField: Record<string, string> = {};
  const other: string[] = [];
  for (const fieldError of error?.errors ?? []) {
    const field = fields.find((name) => fieldError.field === name || fieldError.field.startsWith(`${name}[`) || fieldError.field.startsWith(`${name}.`));
    const message = sentence(fieldError.message || fieldError.code);
    if (field && !(field in byField)) byField[field] = message;
    else if (field) byField[field] = `${byField[field]}; ${message}`;
    else other.push(fieldError.field ? `${fieldError.field}: ${message}` : message);
  }
  return { byField, other };
}
