import { ref, watch, type Ref } from 'vue';
import { useProjectStore } from './project';

/**
 * Empties a project's store and reads it again (when a project is open) each time another project is opened, and
 * once right away. Call from the store's `init()`.
 */
export function reloadOnProjectChange(clear: () => void, refresh: () => Promise<void>): void {
  const project = useProjectStore();
  watch(
    () => project.current?.path ?? null,
    (path) => {
      clear();
      if (path !== null) void refresh();
    },
    { immediate: true },
  );
}

/** Keys (ids, `run:3`) with an action in flight, so their buttons can be disabled meanwhile. */
export function useBusyKeys<K extends string | number>(): {
  busy: Ref<Record<string | number, boolean>>;
  isBusy: (key: K) => boolean;
  whileBusy: <T>(key: K, action: () => Promise<T>) => Promise<T>;
} {
  const busy = ref<Record<string | number, boolean>>({});

  function setBusy(key: K, value: boolean): void {
    const { [key]: _, ...rest } = busy.value;
    busy.value = value ? { ...rest, [key]: true } : rest;
  }

  function isBusy(key: K): boolean {
    return busy.value[key] === true;
  }

  /** Runs `action` with `key` marked busy until it settles. */
  async function whileBusy<T>(key: K, action: () => Promise<T>): Promise<T> {
    setBusy(key, true);
    try {
      return await action();
    } finally {
      setBusy(key, false);
    }
  }

  return { busy, isBusy, whileBusy };
}
