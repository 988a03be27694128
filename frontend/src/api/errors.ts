/** One invalid input field, as listed in a problem's `errors[]`. */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

/**
 * An API failure in the shape the server reports it (RFC 9457 problem details
 * with Docket's stable `code`). Requests that never got an answer are reported
 * as status 0 with code `network_error`, so every caller handles one type.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  /** Stable snake_case code, safe to branch on (e.g. `version_conflict`). */
  readonly code: string;
  readonly errors: FieldError[];
  readonly requestId: string | undefined;
  /** Seconds the server asked us to wait (`Retry-After`), on 429 and 503 answers. */
  readonly retryAfterSeconds: number | undefined;
  /**
   * The problem's other members, beyond the standard ones: e.g. `current_version`
   * on 409 `version_conflict`, `existing_case_id` on 409 `case_exists`.
   */
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(init: {
    status: number;
    title: string;
    code: string;
    detail?: string | undefined;
    errors?: FieldError[] | undefined;
    requestId?: string | undefined;
    retryAfterSeconds?: number | undefined;
    extra?: Record<string, unknown> | undefined;
    cause?: unknown;
  }) {
    super(init.detail ? `${init.title}: ${init.detail}` : init.title, { cause: init.cause });
    this.name = 'ApiError';
    this.status = init.status;
    this.title = init.title;
    this.code = init.code;
    this.detail = init.detail;
    this.errors = init.errors ?? [];
    this.requestId = init.requestId;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.extra = init.extra ?? {};
  }

  /** A number the problem carries beyond the standard members (e.g. `current_version`), if any. */
  numberExtra(key: string): number | undefined {
    const value = this.extra[key];
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  }

  /** True when the server never answered (offline, DNS, connection refused). */
  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringField(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function parseFieldErrors(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((item) => ({
    field: typeof item.field === 'string' ? item.field : '',
    code: typeof item.code === 'string' ? item.code : '',
    message: typeof item.message === 'string' ? item.message : '',
  }));
}

/** Members every problem has; the rest are kept as `extra`. */
const standardMembers = new Set(['type', 'title', 'status', 'detail', 'code', 'errors', 'request_id', 'instance']);

function extraMembers(body: Record<string, unknown>): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) if (!standardMembers.has(key)) extra[key] = value;
  return extra;
}

const statusTitles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** `Retry-After` as whole seconds from now: either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value == null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * Turns a failed response and its parsed body into an ApiError. The body is
 * whatever openapi-fetch parsed: a problem object when the server is Docket,
 * or plain text/HTML when something in between (a proxy, a gateway) answered.
 */
export function problemToApiError(response: Pick<Response, 'status' | 'statusText' | 'headers'>, body: unknown): ApiError {
  const status = response.status;
  const fallbackTitle = statusTitles[status] ?? (response.statusText || `HTTP ${status}`);
  const headerRequestId = response.headers.get('X-Request-Id') ?? undefined;
  const retryAfterSeconds = parseRetryAfter(response.headers.get('Retry-After'));

  if (isRecord(body) && typeof body.code === 'string') {
    return new ApiError({
      status: typeof body.status === 'number' ? body.status : status,
      title: stringField(body, 'title') ?? fallbackTitle,
      code: body.code,
      detail: stringField(body, 'detail'),
      errors: parseFieldErrors(body.errors),
      requestId: stringField(body, 'request_id') ?? headerRequestId,
      retryAfterSeconds,
      extra: extraMembers(body),
    });
  }

  return new ApiError({
    status,
    title: fallbackTitle,
    code: 'unexpected_response',
    detail: `The server answered ${status} without a problem description.`,
    requestId: headerRequestId,
    retryAfterSeconds,
  });
}

/** Wraps a thrown fetch failure (the request never got an answer). */
export function networkError(cause: unknown): ApiError {
  return new ApiError({
    status: 0,
    title: 'Cannot reach the Docket server',
    code: 'network_error',
    detail: cause instanceof Error ? cause.message : undefined,
    cause,
  });
}
