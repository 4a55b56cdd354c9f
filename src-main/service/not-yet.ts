import { ApiError } from '../../src-shared/api';

/** What a command or job answers until its domain is built: a readable refusal, never a fake result. */
export function notYet(what: string): never {
  throw new ApiError('UNSUPPORTED', `${what} is not available in this build yet.`);
}
