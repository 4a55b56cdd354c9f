import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { CsvOptions, CsvTable, ReportFile, ReportRecord, ReportSubject } from '../../src-shared/api/reports';
import { useApi } from '../bridge/use-api';
import { errorMessage } from '../lib/datasets';
import { useAppStore } from './app';
import { useProjectStore } from './project';
import { reloadOnProjectChange } from './project-scoped';

export type ReportAnswer = { readonly file: ReportFile } | { readonly error: string };

/**
 * Reports written from the open project (reports.list, kept current by reports.onChanged) and the actions that write
 * them. Writing returns the error for the dialog that asked (it keeps the path the user typed), rather than a banner.
 */
export const useReportsStore = defineStore('reports', () => {
  const list = ref<readonly ReportRecord[]>([]);
  const loaded = ref(false);
  let initialized = false;
  let request = 0;

  function setList(next: readonly ReportRecord[]): void {
    list.value = [...next].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  function clear(): void {
    request++;
    list.value = [];
    loaded.value = false;
  }

  async function refresh(): Promise<void> {
    const mine = ++request;
    const next = await useAppStore().run(() => useApi().reports.list());
    if (mine !== request) return;
    if (next !== undefined) setList(next);
    loaded.value = true;
  }

  async function write(action: () => Promise<ReportFile>): Promise<ReportAnswer> {
    init();
    try {
      const file = await action();
      void refresh();
      return { file };
    } catch (err) {
      return { error: errorMessage(err) };
    }
  }

  /** Writes a PDF report of a run, a comparison or a prediction record. */
  function pdf(subject: ReportSubject, path: string): Promise<ReportAnswer> {
    return write(() => useApi().reports.pdf(subject, path));
  }

  /** Writes one table as CSV. */
  function csv(table: CsvTable, path: string, options?: CsvOptions): Promise<ReportAnswer> {
    return write(() => useApi().reports.csv(table, path, options));
  }

  function init(): void {
    if (initialized) return;
    initialized = true;
    const project = useProjectStore();
    useApi().reports.onChanged((next) => {
      if (project.current === null) return;
      setList(next);
    });
    reloadOnProjectChange(clear, refresh);
  }

  return { list, loaded, init, refresh, pdf, csv };
});
