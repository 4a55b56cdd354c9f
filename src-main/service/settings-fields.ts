/**
 * Field checks for settings objects (training, pretraining) as they arrive from a renderer, the web host or the CLI:
 * each throws INVALID_REQUEST with a sentence that names the field (`what`) and says what it must be.
 */
import { ApiError } from '../../src-shared/api';

export type Fields = Record<string, unknown>;

export const bad = (message: string): never => {
  throw new ApiError('INVALID_REQUEST', message);
};

export function record(value: unknown, what: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad(`${what} must be an object.`);
  return value as Fields;
}

export function int(r: Fields, key: string, min: number, max: number, what: string): number {
  const v = r[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) return bad(`${what} must be a whole number from ${min} to ${max}.`);
  return v;
}

export function optInt(r: Fields, key: string, min: number, max: number, what: string): number | undefined {
  return r[key] === undefined || r[key] === null ? undefined : int(r, key, min, max, what);
}

/** A finite number within [min, max], or (min, max] with `exclusiveMin`. */
export function num(r: Fields, key: string, min: number, max: number, what: string, exclusiveMin = false): number {
  const v = r[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (exclusiveMin && v === min)) {
    return bad(`${what} must be a number ${exclusiveMin ? 'above' : 'from'} ${min}${exclusiveMin ? ' and at most' : ' to'} ${max}.`);
  }
  return v;
}

export function optNum(r: Fields, key: string, min: number, max: number, what: string, exclusiveMin = false): number | undefined {
  return r[key] === undefined || r[key] === null ? undefined : num(r, key, min, max, what, exclusiveMin);
}

export function bool(r: Fields, key: string, what: string, fallback: boolean): boolean {
  const v = r[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') return bad(`${what} must be true or false.`);
  return v;
}

export function text(r: Fields, key: string, what: string): string {
  const v = r[key];
  if (typeof v !== 'string' || v.trim() === '') return bad(`${what} must be given.`);
  return v;
}

export function optChoice<T extends string>(r: Fields, key: string, choices: readonly T[], what: string): T | undefined {
  const v = r[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) return bad(`${what} must be one of ${choices.join(', ')}.`);
  return v as T;
}

/** The optional `name` field: trimmed, undefined when blank. */
export function optName(r: Fields): string | undefined {
  const v = r['name'];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.length > 200) return bad('The name must be text of at most 200 characters.');
  return v.trim() === '' ? undefined : v.trim();
}
