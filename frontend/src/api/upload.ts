import type { Schemas } from './client';
import { ApiError, networkError, problemToApiError } from './errors';
import { getCsrfToken, reportSessionExpired } from './session';

type Evidence = Schemas['Evidence'];

/** The largest attachment the server accepts (10 MB). */
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

/** Sniffed types the server accepts for attachments (it checks the bytes, not the name). */
export const EVIDENCE_FILE_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/json',
  'video/mp4',
  'video/webm',
  'application/zip',
] as const;

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Uploads a file as evidence (`multipart/form-data`, fields `file` and `title`).
 * XMLHttpRequest rather than fetch, because only XHR reports upload progress;
 * it follows the same session rules as the API client (CSRF header, a 401
 * ends the session) and fails with the same ApiError.
 */
export function uploadEvidenceFile(
  caseId: number,
  file: File,
  title: string,
  onProgress?: (fraction: number) => void,
): Promise<Evidence> {
  return new Promise<Evidence>((resolve, reject) => {
    const form = new FormData();
    form.append('title', title);
    form.append('file', file, file.name);

    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/cases/${caseId}/evidence`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    const token = getCsrfToken();
    if (token) xhr.setRequestHeader('X-CSRF-Token', token);

    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress?.(Math.min(1, event.loaded / event.total));
    };
    xhr.onerror = () => reject(networkError(new Error('The upload did not reach the server.')));
    xhr.onabort = () => reject(networkError(new Error('The upload was cancelled.')));
    xhr.onload = () => {
      const body = parseBody(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress?.(1);
        if (typeof body === 'object' && body !== null) resolve(body as Evidence);
        else
          reject(
            new ApiError({ status: xhr.status, title: 'Unexpected answer from the server', code: 'invalid_response', detail: 'The response was not JSON.' }),
          );
        return;
      }
      if (xhr.status === 401) reportSessionExpired();
      const headers = new Headers();
      const requestId = xhr.getResponseHeader('X-Request-Id');
      if (requestId) headers.set('X-Request-Id', requestId);
      reject(problemToApiError({ status: xhr.status, statusText: xhr.statusText, headers }, body));
    };
    xhr.send(form);
  });
}
