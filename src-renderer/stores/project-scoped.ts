import { ref, watch, type Ref } from 'vue';
import { useAppStore } from './app';
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

/**
 * The record whose page is shown (`selectedId`) and its detail (`current`). Only the answer to the latest request is
 * kept, so a slow earlier answer never replaces the page the user moved to; a record that no longer exists deselects
 * itself. Errors go to the app's banners.
 */
export function useSelectedDetail<T extends { readonly id: number }>(fetch: (id: number) => Promise<T>): {
  selectedId: Ref<number | null>;
  current: Ref<T | null>;
  currentLoading: Ref<boolean>;
  load: (id: number) => Promise<T | undefined>;
  select: (id: number) => Promise<void>;
  close: () => void;
} {
  const selectedId = ref<number | null>(null);
  const current = ref(null) as Ref<T | null>;
  const currentLoading = ref(false);
  let request = 0;

  async function load(id: number): Promise<T | undefined> {
    const mine = ++request;
    currentLoading.value = true;
    try {
      const detail = await useAppStore().run(() => fetch(id));
      if (mine !== request) return detail;
      if (detail === undefined) {
        if (selectedId.value === id) selectedId.value = null;
        return undefined;
      }
      current.value = detail;
      return detail;
    } finally {
      if (mine === request) currentLoading.value = false;
    }
  }

  /** Shows a record's page: the previous record's detail is not shown meanwhile. */
  async function select(id: number): Promise<void> {
    selectedId.value = id;
    if (current.value?.id !== id) current.value = null;
    await load(id);
  }

  /** Back to the list; an answer still on its way is dropped. */
  function close(): void {
    request++;
    selectedId.value = null;
    current.value = null;
    currentLoading.value = false;
  }

  return { selectedId, current, currentLoading, load, select, close };
}
