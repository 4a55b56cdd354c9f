import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { ApiError, type ErrorCode } from '../../src-shared/api/errors';
import type { AppInfo, EngineStatus } from '../../src-shared/api/dto';
import { useApi } from '../bridge/use-api';

export interface ErrorBanner {
  readonly id: number;
  readonly message: string;
  readonly code: ErrorCode;
}

/** At most this many banners are kept; older ones drop off so the page stays usable. */
const MAX_BANNERS = 5;

/** App-wide state: version info, engine status, the connection to the host, and the error banners. */
export const useAppStore = defineStore('app', () => {
  const info = ref<AppInfo | null>(null);
  const engine = ref<EngineStatus>({ backend: null, checkedAt: null });
  const connected = ref(true);
  const banners = ref<ErrorBanner[]>([]);
  /** Set when a native dialog answered UNSUPPORTED although the host claimed to have them. */
  const dialogsUnsupported = ref(false);
  let nextBannerId = 1;
  let initialized = false;

  const nativeDialogs = computed(() => info.value?.capabilities.nativeDialogs === true && !dialogsUnsupported.value);

  function pushError(err: unknown): void {
    let code: ErrorCode = 'INTERNAL';
    let message: string;
    if (err instanceof ApiError) {
      code = err.code;
      message = err.message;
    } else {
      const detail = err instanceof Error ? err.message : String(err);
      message = `Something went wrong: ${detail}`;
    }
    // Repeating the same error (a button clicked twice, many calls failing at once) shows one banner.
    if (banners.value.some((b) => b.code === code && b.message === message)) return;
    banners.value = [...banners.value, { id: nextBannerId++, code, message }].slice(-MAX_BANNERS);
  }

  function dismiss(id: number): void {
    banners.value = banners.value.filter((b) => b.id !== id);
  }

  function dismissAll(): void {
    banners.value = [];
  }

  /** Runs an action; an error becomes a banner (with its user-readable message) and the result is undefined. */
  async function run<T>(action: () => Promise<T>): Promise<T | undefined> {
    try {
      return await action();
    } catch (err) {
      pushError(err);
      return undefined;
    }
  }

  function setConnected(value: boolean): void {
    connected.value = value;
  }

  function markDialogsUnsupported(): void {
    dialogsUnsupported.value = true;
  }

  async function refreshEngine(): Promise<void> {
    const status = await run(() => useApi().engine.status());
    if (status !== undefined) engine.value = status;
  }

  /** Loads app info and engine status and follows engine status pushes. Safe to call more than once. */
  async function init(): Promise<void> {
    if (initialized) return;
    initialized = true;
    const api = useApi();
    api.engine.onStatus((status) => {
      engine.value = status;
    });
    const [appInfo] = await Promise.all([run(() => api.app.info()), refreshEngine()]);
    if (appInfo !== undefined) info.value = appInfo;
  }

  return {
    info,
    engine,
    connected,
    banners,
    nativeDialogs,
    pushError,
    dismiss,
    dismissAll,
    run,
    setConnected,
    markDialogsUnsupported,
    refreshEngine,
    init,
  };
});
