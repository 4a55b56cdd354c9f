/// <reference types="vite/client" />
import type { DnaLmApi } from '../src-shared/api/client';

declare global {
  interface Window {
    /**
     * The application's API. Under Electron the preload script sets it before any renderer code runs; in a browser
     * it is undefined until main.ts builds it over the web host's WebSocket. Read it through `useApi()`.
     */
    api: DnaLmApi | undefined;
  }
}

export {};
