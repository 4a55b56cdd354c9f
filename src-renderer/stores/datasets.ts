import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { DatasetExportFormat } from '../../src-shared/api/channels';
import type { DatasetRecordsPage, DatasetRecordsQuery, DatasetSummary } from '../../src-shared/api/datasets';
import { useApi } from '../bridge/use-api';
import { useAppStore } from './app';
import { useNavStore } from './nav';
import { useProjectStore } from './project';
import { reloadOnProjectChange, useBusyKeys, useSelectedDetail } from './project-scoped';

export interface ExportRequest {
  readonly id: number;
  readonly format: DatasetExportFormat;
  readonly path: string;
  readonly split?: string;
}

/**
 * The open project's datasets: the list (kept current by datasets.onChanged and reloaded when another project is
 * opened), and the dataset whose page is shown (`selectedId`, with its detail in `current`). Failed actions show a
 * banner and return undefined, like the other stores.
 */
export const useDatasetsStore = defineStore('datasets', () => {
  const list = ref<readonly DatasetSummary[]>([]);
  /** True once the list of the open project was read (successfully or not). */
  const loaded = ref(false);
  /** The dataset whose page is shown; null shows the list. */
  const shown = useSelectedDetail((id: number) => useApi().datasets.get(id));
  const { selectedId, current, currentLoading } = shown;
  /** Ids with an update/delete/export in flight. */
  const { busy, isBusy, whileBusy } = useBusyKeys<number>();
  let initialized = false;
  let listRequest = 0;

  const byId = computed(() => new Map(list.value.map((d) => [d.id, d])));

  /** Takes a fresh list: the shown dataset follows renames, and its page closes if it is gone. */
  function setList(next: readonly DatasetSummary[]): void {
    list.value = [...next].sort((a, b) => b.id - a.id);
    loaded.value = true;
    const detail = current.value;
    if (detail !== null) {
      const summary = next.find((d) => d.id === detail.id);
      if (summary === undefined) {
        current.value = null;
        if (selectedId.value === detail.id) selectedId.value = null;
      } else {
        current.value = { ...detail, ...summary, stats: detail.stats };
      }
    } else if (selectedId.value !== null && !next.some((d) => d.id === selectedId.value) && !currentLoading.value) {
      selectedId.value = null;
    }
  }

  function clear(): void {
    listRequest++;
    shown.close();
    list.value = [];
    loaded.value = false;
    busy.value = {};
  }

  async function refresh(): Promise<void> {
    const request = ++listRequest;
    const datasets = await useAppStore().run(() => useApi().datasets.list());
    if (request !== listRequest) return;
    if (datasets === undefined) {
      loaded.value = true;
      return;
    }
    setList(datasets);
  }

  /** Loads one dataset's detail (with statistics) into `current`. */
  const loadDetail = shown.load;

  /** Shows a dataset's page. */
  async function open(id: number): Promise<void> {
    useNavStore().go('datasets');
    await shown.select(id);
  }

  /** Back to the list. */
  function closeDetail(): void {
    shown.close();
  }

  function update(id: number, changes: { name?: string; description?: string }): Promise<DatasetSummary | undefined> {
    return whileBusy(id, async () => {
      const summary = await useAppStore().run(() => useApi().datasets.update(id, changes));
      if (summary !== undefined) setList(list.value.map((d) => (d.id === id ? summary : d)));
      return summary;
    });
  }

  function remove(id: number): Promise<boolean> {
    return whileBusy(id, async () => {
      const done = await useAppStore().run(() => useApi().datasets.delete(id));
      if (done === undefined) return false;
      setList(list.value.filter((d) => d.id !== id));
      if (selectedId.value === id) closeDetail();
      void useProjectStore().refresh();
      return true;
    });
  }

  function exportDataset(request: ExportRequest): Promise<{ path: string; records: number } | undefined> {
    const { split, ...rest } = request;
    return whileBusy(request.id, () =>
      useAppStore().run(() => useApi().datasets.export(split === undefined || split === '' ? rest : { ...rest, split })),
    );
  }

  /** One page of a dataset's records; undefined (and a banner) on failure. */
  async function records(query: DatasetRecordsQuery): Promise<DatasetRecordsPage | undefined> {
    return useAppStore().run(() => useApi().datasets.records(query));
  }

  /** Called after an import succeeds: the list gains the dataset and its page opens. */
  async function imported(summary: DatasetSummary): Promise<void> {
    if (!list.value.some((d) => d.id === summary.id)) setList([summary, ...list.value]);
    void refresh();
    void useProjectStore().refresh();
    await open(summary.id);
  }

  /** Follows datasets.onChanged and reloads the list whenever another project is opened. Safe to call twice. */
  function init(): void {
    if (initialized) return;
    initialized = true;
    const project = useProjectStore();
    useApi().datasets.onChanged((datasets) => {
      if (project.current === null) return;
      listRequest++;
      setList(datasets);
    });
    reloadOnProjectChange(clear, refresh);
  }

  return {
    list,
    loaded,
    selectedId,
    current,
    currentLoading,
    byId,
    isBusy,
    init,
    refresh,
    open,
    closeDetail,
    loadDetail,
    update,
    remove,
    exportDataset,
    records,
    imported,
  };
});
