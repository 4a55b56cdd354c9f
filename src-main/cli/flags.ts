/**
 * Flag readers shared by the `dnalm` command modules: parsed arguments -> typed values, so that every command words
 * a wrong flag the same way (main.ts prints an INVALID_REQUEST as `dnalm: message` and exits with 1).
 */
import { ApiError } from '../../src-shared/api';
import type { ParsedArgs } from './args';

/** A user error (exit code 1); typed `never` so that `x ?? bad('...')` narrows to x's type. */
export function bad(message: string): never {
  throw new ApiError('INVALID_REQUEST', message);
}

/** A flag's text, or undefined when absent; a bare `--name` where a value belongs is refused, not read as absent. */
export function text(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags.get(name);
  if (value === true) bad(`--${name} needs a value.`);
  return value;
}

/**
 * A whole number of at least `min`, or undefined when `value` is not one. Thousands commas are accepted
 * ("1,000,000"): genome coordinates and sizes are usually written that way.
 */
export function wholeNumber(value: string, min: number): number | undefined {
  const n = Number(value.replace(/,/g, ''));
  return Number.isInteger(n) && n >= min ? n : undefined;
}

/** An integer flag (counts, sizes, ids, seeds); `min` is 1 unless zero or less makes sense for the flag. */
export function int(args: ParsedArgs, name: string, min = 1): number | undefined {
  const value = text(args, name);
  if (value === undefined) return undefined;
  return wholeNumber(value, min) ?? bad(`--${name} must be a whole number of at least ${min}.`);
}

/** A real-number flag (rates, fractions, thresholds); blank text is refused although Number('') is 0. */
export function real(args: ParsedArgs, name: string): number | undefined {
  const value = text(args, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) bad(`--${name} must be a number.`);
  return n;
}

/** A switch such as `--truncate`: given or not (switches take no value, see parseArgs). */
export function bool(args: ParsedArgs, name: string): boolean {
  return args.flags.has(name);
}

/** Keys whose value is undefined are left out (exactOptionalPropertyTypes, and the validators' defaults apply). */
export function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** A model number given as text (`--model ID` or a positional MODEL_ID), with the command's usage in the error. */
export function modelNumber(value: string, usage: string): number {
  return wholeNumber(value, 1) ?? bad(`The model number must be a positive whole number: ${usage}`);
}
