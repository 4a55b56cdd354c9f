import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { JobDto } from '../../src-shared/api/dto';
import type { MotifCollection, MotifDetail, MotifScanSettings, MotifScanSummary, MotifScanTop } from '../../src-shared/api/motifs';
import { useApi } from '../bridge/use-api';
import { useAppStore } from './app';
import { useJobsStore } from './jobs';
import { reloadOnProjectChange } from './project-scoped';

/** Rows of a scan's top-motif table per page. */
export const TOP_PAGE_SIZE = 25;
/** Motifs shown per region. */
export const TOP_PER_REGION = 3;

/**
 * The Motifs page: a motif collection (the bundled JASPAR set unless the user opens a file), the search over it, the
 * motif shown (with the strand it is drawn on), and the open project's motif scans with the top motifs per region.
 */
export const useMotifsStore = defineStore('motifs', () => {
  const collection = ref<MotifCollection | null>(null);
  const collectionLoading = ref(false);
  const query = ref('');
  const selectedId = ref<string | null>(null);
  const detail = ref<MotifDetail | null>(null);
  const reverseComplement = ref(false);
  const scans = ref<readonly MotifScanSummary[]>([]);
  const scansLoaded = ref(false);
  const selectedScanId = ref<number | null>(null);
  const topRows = ref<readonly MotifScanTop[]>([]);
  const topTotal = ref(0);
  const topOffset = ref(0);
  const scanJobId = ref<number | null>(null);
  const jobs = useJobsStore();
  let collectionRequest = 0;
  let detailRequest = 0;
  let topRequest = 0;
  let initialized = false;

  const filtered = computed(() => {
    const all = collection.value?.motifs ?? [];
    const q = query.value.trim().toLowerCase();
    if (q === '') return all;
    return all.filter((m) => m.id.toLowerCase().includes(q) || m.name.toLowerCase().includes(q) || m.consensus.toLowerCase().includes(q));
  });
  const scanJob = computed<JobDto | null>(() => (scanJobId.value === null ? null : (jobs.byId[scanJobId.value] ?? null)));
  const selectedScan = computed(() => scans.value.find((s) => s.id === selectedScanId.value) ?? null);

  /** Opens a collection: undefined or '' for the bundled set. Shows its first motif. */
  async function loadCollection(path?: string): Promise<boolean> {
    const request = ++collectionRequest;
    collectionLoading.value = true;
    try {
      const next = await useAppStore().run(() => useApi().motifs.load(path === undefined || path.trim() === '' ? undefined : path.trim()));
      if (request !== collectionRequest || next === undefined) return false;
      collection.value = next;
      query.value = '';
      detail.value = null;
      selectedId.value = null;
      const first = next.motifs[0];
      if (first !== undefined) await select(first.id);
      return true;
    } finally {
      if (request === collectionRequest) collectionLoading.value = false;
    }
  }

  async function select(id: string): Promise<void> {
    const request = ++detailRequest;
    selectedId.value = id;
    const c = collection.value;
    const got = await useAppStore().run(() => useApi().motifs.get(id, c === null || c.bundled ? undefined : c.path));
    if (request === detailRequest && got !== undefined) detail.value = got;
  }

  async function refreshScans(): Promise<void> {
    const list = await useAppStore().run(() => useApi().motifs.scans());
    scansLoaded.value = true;
    if (list !== undefined) scans.value = list;
  }

  async function openScan(id: number, offset = 0): Promise<void> {
    const request = ++topRequest;
    selectedScanId.value = id;
    const page = await useAppStore().run(() => useApi().motifs.top({ id, offset, limit: TOP_PAGE_SIZE, top: TOP_PER_REGION }));
    if (request !== topRequest || page === undefined) return;
    topRows.value = page.rows;
    topTotal.value = page.total;
    topOffset.value = offset;
  }

  async function startScan(settings: MotifScanSettings): Promise<JobDto | undefined> {
    const job = await useAppStore().run(() => useApi().motifs.scan(settings));
    if (job !== undefined) {
      jobs.apply(job);
      scanJobId.value = job.id;
    }
    return job;
  }

  function clearScans(): void {
    topRequest++;
    scans.value = [];
    scansLoaded.value = false;
    selectedScanId.value = null;
    topRows.value = [];
    topTotal.value = 0;
    topOffset.value = 0;
    scanJobId.value = null;
  }

  /** Reads the bundled collection and the project's scans once; follows project changes and finished scan jobs. */
  /** The Motifs page was opened: the bundled collection is read on the first visit (not at start-up). */
  function open(): void {
    init();
    if (collection.value === null && !collectionLoading.value) void loadCollection();
  }

  function init(): void {
    if (initialized) return;
    initialized = true;
    reloadOnProjectChange(clearScans, refreshScans);
    watch(
      () => scanJob.value?.state,
      async (state) => {
        const job = scanJob.value;
        if (state !== 'done' || job === null) return;
        await refreshScans();
        const result = job.result as MotifScanSummary | null;
        if (job.status === 'success' && result !== null && typeof result.id === 'number') await openScan(result.id);
      },
    );
  }

  return {
    collection,
    collectionLoading,
    query,
    filtered,
    selectedId,
    detail,
    reverseComplement,
    scans,
    scansLoaded,
    selectedScanId,
    selectedScan,
    topRows,
    topTotal,
    topOffset,
    scanJob,
    loadCollection,
    select,
    refreshScans,
    openScan,
    startScan,
    init,
    open,
  };
});
