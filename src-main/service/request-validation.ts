import { ApiError } from '../../src-shared/api';

/**
 * Requests arrive from a renderer (or, under the web host, from a browser tab): the compiler's types are a promise,
 * not a guarantee, so every handler checks the fields it uses.
 */
function asRecord(request: unknown): Record<string, unknown> {
  if (typeof request !== 'object' || request === null) throw new ApiError('INVALID_REQUEST', 'The request is missing its fields.');
  return request as Record<string, unknown>;
}

export function requireString(request: unknown, field: string, what: string): string {
  const value = asRecord(request)[field];
  if (typeof value !== 'string' || value.trim() === '') throw new ApiError('INVALID_REQUEST', `Please give ${what}.`);
  return value.trim();
}

export function optionalString(request: unknown, field: string): string | undefined {
  const value = asRecord(request)[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ApiError('INVALID_REQUEST', `"${field}" must be text.`);
  return value;
}

export function requireInteger(request: unknown, field: string): number {
  const value = asRecord(request)[field];
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new ApiError('INVALID_REQUEST', `"${field}" must be a whole number.`);
  return value;
}

export function optionalRecord(request: unknown, field: string): Record<string, unknown> {
  const value = asRecord(request)[field];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new ApiError('INVALID_REQUEST', `"${field}" must be an object.`);
  return value as Record<string, unknown>;
}
