import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ProjectSummary, RecentProject } from '../../src-shared/api/dto';
import { useApi } from '../bridge/use-api';
import { useAppStore } from './app';
import { useNavStore } from './nav';

/** The open project (at most one) and the recent-projects list. Failed actions show a banner and return undefined. */
export const useProjectStore = defineStore('project', () => {
  const current = ref<ProjectSummary | null>(null);
  const recent = ref<readonly RecentProject[]>([]);
  /** True once the first look-up of the current project finished (successfully or not). */
  const loaded = ref(false);
  /** True while an open/create/close is in flight; buttons are disabled meanwhile. */
  const busy = ref(false);
  let initialized = false;

  function setCurrent(next: ProjectSummary | null): void {
    const before = current.value?.path ?? null;
    current.value = next;
    // A different project (or none) starts on its overview page.
    if ((next?.path ?? null) !== before) useNavStore().go('home');
  }

  async function withBusy<T>(action: () => Promise<T>): Promise<T | undefined> {
    busy.value = true;
    try {
      return await useAppStore().run(action);
    } finally {
      busy.value = false;
    }
  }

  async function refreshRecent(): Promise<void> {
    const list = await useAppStore().run(() => useApi().project.recent());
    if (list !== undefined) recent.value = list;
  }

  /** Re-reads the current project and the recent list. */
  async function refresh(): Promise<void> {
    const app = useAppStore();
    const api = useApi();
    const [summary] = await Promise.all([app.run(() => api.project.current()), refreshRecent()]);
    if (summary !== undefined) setCurrent(summary);
  }

  async function init(): Promise<void> {
    if (initialized) return;
    initialized = true;
    useApi().project.onChanged((summary) => {
      setCurrent(summary);
      void refreshRecent();
    });
    try {
      await refresh();
    } finally {
      loaded.value = true;
    }
  }

  async function afterOpen(summary: ProjectSummary | undefined): Promise<ProjectSummary | undefined> {
    if (summary !== undefined) {
      setCurrent(summary);
      void refreshRecent();
    }
    return summary;
  }

  async function create(path: string, description?: string): Promise<ProjectSummary | undefined> {
    const desc = description?.trim();
    const summary = await withBusy(() =>
      desc === undefined || desc === '' ? useApi().project.create(path) : useApi().project.create(path, desc),
    );
    return afterOpen(summary);
  }

  async function open(path: string): Promise<ProjectSummary | undefined> {
    return afterOpen(await withBusy(() => useApi().project.open(path)));
  }

  async function openDemo(): Promise<ProjectSummary | undefined> {
    return afterOpen(await withBusy(() => useApi().project.openDemo()));
  }

  async function close(): Promise<boolean> {
    const done = await withBusy(() => useApi().project.close());
    if (done === undefined) return false;
    setCurrent(null);
    void refreshRecent();
    return true;
  }

  async function forgetRecent(path: string): Promise<void> {
    const list = await useAppStore().run(() => useApi().project.forgetRecent(path));
    if (list !== undefined) recent.value = list;
  }

  return { current, recent, loaded, busy, init, refresh, refreshRecent, create, open, openDemo, close, forgetRecent };
});
