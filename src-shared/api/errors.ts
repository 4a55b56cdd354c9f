/**
 * Errors cross every process boundary as plain data ({code, message, details}) and are turned back into a typed
 * ApiError on the receiving side, so the renderer can branch on `code` and show `message` as-is.
 * Messages are written for the scientist: say what happened and what to do next, never a stack trace.
 */
export const ERROR_CODES = [
  'INVALID_REQUEST',
  'UNKNOWN_COMMAND',
  'NO_PROJECT',
  'PROJECT_EXISTS',
  'PROJECT_NOT_FOUND',
  'NOT_A_PROJECT',
  'PROJECT_CORRUPT',
  'PROJECT_LOCKED',
  'PROJECT_TOO_NEW',
  'IMPORT_REJECTED',
  'DATASET_NOT_FOUND',
  'DATASET_EXISTS',
  'JOB_NOT_FOUND',
  'JOB_FINISHED',
  'UNSUPPORTED',
  'DISCONNECTED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiErrorData {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export class ApiError extends Error implements ApiErrorData {
  readonly code: ErrorCode;
  readonly details?: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details?: Readonly<Record<string, unknown>>) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    if (details !== undefined) this.details = details;
  }

  toData(): ApiErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static fromData(data: ApiErrorData): ApiError {
    return new ApiError(data.code, data.message, data.details);
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiErrorData };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(error: ApiErrorData): Result<never> {
  return { ok: false, error };
}

/** Unwraps a handler result on the client side: the value, or the error re-thrown as a typed ApiError. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw ApiError.fromData(result.error);
}
