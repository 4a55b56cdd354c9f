import type { DnaLmApi } from '../../src-shared/api/client';

/**
 * The application's API (`window.api`), the same object under Electron and in a browser. Renderer code goes through
 * this helper and never checks which host it runs under.
 */
export function useApi(): DnaLmApi {
  const api = window.api;
  if (api === undefined) {
    throw new Error('DNA LM Studio could not reach its engine (the API bridge is missing). Restart the application.');
  }
  return api;
}
