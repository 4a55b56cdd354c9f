import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { Invoke, RequestOf } from '../../src-shared/api/channels';
import type { JobDto } from '../../src-shared/api/dto';
import type {
  PredictionKind,
  PredictionRowsPage,
  PredictionRowsQuery,
  PredictionSummary,
  ScanTrack,
  VariantRowsPage,
} from '../../src-shared/api/inference';
import { useApi } from '../bridge/use-api';
import {
  asPredictionSummary,
  defaultExplainDraft,
  defaultPredictDraft,
  defaultScanDraft,
  defaultVariantsDraft,
  explainSettings,
  predictSettings,
  scanSettings,
  variantSettings,
  type ExplainDraft,
  type PredictDraft,
  type ScanDraft,
  type VariantsDraft,
} from '../lib/predict';
import { useAppStore } from './app';
import { useJobsStore } from './jobs';
import { useNavStore } from './nav';
import { useProjectStore } from './project';
import { reloadOnProjectChange, useBusyKeys, useSelectedDetail } from './project-scoped';
import { useTrainingStore } from './training';

/** The Predict page's tabs: one per kind of job, and the list of earlier records. */
export type PredictTab = PredictionKind | 'records';

export type VariantRowsQuery = RequestOf<typeof Invoke.predictionsVariants>;
export type TrackQuery = RequestOf<typeof Invoke.predictionsTrack>;

/**
 * Prediction records of the open project (kept current by predictions.onChanged, reloaded when another project is
 * opened), the four forms' drafts (leaving the page keeps them), the job each form started, and the record whose page
 * is shown. A job that succeeds opens its record. Failed actions show a banner and return undefined, like the other
 * stores.
 */
export const usePredictionsStore = defineStore('predictions', () => {
  const records = ref<readonly PredictionSummary[]>([]);
  const loaded = ref(false);
  const tab = ref<PredictTab>('predict');
  const predictDraft = ref<PredictDraft>(defaultPredictDraft());
  const scanDraft = ref<ScanDraft>(defaultScanDraft());
  const variantsDraft = ref<VariantsDraft>(defaultVariantsDraft());
  const explainDraft = ref<ExplainDraft>(defaultExplainDraft());
  /** The job each form started (its live progress shows under the form). */
  const jobIds = ref<Record<PredictionKind, number | null>>({ predict: null, scan: null, variants: null, explain: null });
  const starting = ref(false);
  const shown = useSelectedDetail((id: number) => useApi().predictions.get(id));
  const { selectedId, current, currentLoading } = shown;
  const { busy, isBusy, whileBusy } = useBusyKeys<number>();
  let initialized = false;
  let listRequest = 0;

  const jobs = useJobsStore();

  /** Models that predict classes (pretrained encoders have no classifier head). */
  const models = computed(() => useTrainingStore().models.filter((m) => m.role === 'classifier' && m.classes.length > 0));

  function jobOf(kind: PredictionKind): JobDto | null {
    const id = jobIds.value[kind];
    return id === null ? null : (jobs.byId[id] ?? null);
  }

  function setRecords(next: readonly PredictionSummary[]): void {
    records.value = [...next].sort((a, b) => b.id - a.id);
    if (selectedId.value !== null && loaded.value && !next.some((r) => r.id === selectedId.value)) close();
  }

  function clear(): void {
    listRequest++;
    shown.close();
    records.value = [];
    loaded.value = false;
    tab.value = 'predict';
    predictDraft.value = defaultPredictDraft();
    scanDraft.value = defaultScanDraft();
    variantsDraft.value = defaultVariantsDraft();
    explainDraft.value = defaultExplainDraft();
    jobIds.value = { predict: null, scan: null, variants: null, explain: null };
    busy.value = {};
  }

  async function refresh(): Promise<void> {
    const request = ++listRequest;
    const list = await useAppStore().run(() => useApi().predictions.list());
    if (request !== listRequest) return;
    if (list !== undefined) setRecords(list);
    loaded.value = true;
  }

  /** Shows a record's page. */
  async function open(id: number): Promise<void> {
    init();
    useNavStore().go('predict');
    await shown.select(id);
  }

  function close(): void {
    shown.close();
  }

  function setTab(next: PredictTab): void {
    tab.value = next;
    close();
  }

  /** The Models page's "Predict" shortcut: the Predict tab with this model chosen in every form. */
  function predictWith(modelId: number): void {
    init();
    predictDraft.value = { ...predictDraft.value, modelId };
    scanDraft.value = { ...scanDraft.value, modelId };
    variantsDraft.value = { ...variantsDraft.value, modelId };
    explainDraft.value = { ...explainDraft.value, modelId };
    setTab('predict');
    useNavStore().go('predict');
  }

  async function startJob(kind: PredictionKind): Promise<JobDto | undefined> {
    const api = useApi();
    let begin: (() => Promise<JobDto>) | null = null;
    if (kind === 'predict') {
      const s = predictSettings(predictDraft.value);
      if (s !== null) begin = () => api.inference.predict(s);
    } else if (kind === 'scan') {
      const s = scanSettings(scanDraft.value);
      if (s !== null) begin = () => api.inference.scan(s);
    } else if (kind === 'variants') {
      const s = variantSettings(variantsDraft.value);
      if (s !== null) begin = () => api.inference.variants(s);
    } else {
      const model = useTrainingStore().modelById.get(explainDraft.value.modelId ?? -1);
      const s = explainSettings(explainDraft.value, model?.architecture === 'bert');
      if (s !== null) begin = () => api.inference.explain(s);
    }
    if (begin === null) return undefined;
    const run = begin;
    starting.value = true;
    try {
      const job = await useAppStore().run(run);
      if (job !== undefined) {
        jobs.apply(job);
        jobIds.value = { ...jobIds.value, [kind]: job.id };
      }
      return job;
    } finally {
      starting.value = false;
    }
  }

  /** Back from a finished job's panel to its form. */
  function dismissJob(kind: PredictionKind): void {
    jobIds.value = { ...jobIds.value, [kind]: null };
  }

  function remove(id: number): Promise<boolean> {
    return whileBusy(id, async () => {
      const done = await useAppStore().run(() => useApi().predictions.delete(id));
      if (done === undefined) return false;
      setRecords(records.value.filter((r) => r.id !== id));
      if (selectedId.value === id) close();
      void useProjectStore().refresh();
      return true;
    });
  }

  /** A page of a predict record's rows; errors become a banner. */
  function rows(query: PredictionRowsQuery): Promise<PredictionRowsPage | undefined> {
    return useAppStore().run(() => useApi().predictions.rows(query));
  }

  function variantRows(query: VariantRowsQuery): Promise<VariantRowsPage | undefined> {
    return useAppStore().run(() => useApi().predictions.variants(query));
  }

  function track(query: TrackQuery): Promise<ScanTrack | undefined> {
    return useAppStore().run(() => useApi().predictions.track(query));
  }

  /** Follows record changes and reloads whenever another project is opened. Safe to call twice. */
  function init(): void {
    if (initialized) return;
    initialized = true;
    const project = useProjectStore();
    useApi().predictions.onChanged((next) => {
      if (project.current === null) return;
      setRecords(next);
    });
    reloadOnProjectChange(clear, refresh);
    // A job that succeeds opens the record it made (now, or when the user comes back to Predict).
    watch(
      () =>
        (['predict', 'scan', 'variants', 'explain'] as const)
          .map((kind) => ({ kind, job: jobOf(kind) }))
          .filter((x) => x.job?.state === 'done' && x.job.status === 'success'),
      (finished) => {
        for (const { kind, job } of finished) {
          const summary = asPredictionSummary(job?.result);
          jobIds.value = { ...jobIds.value, [kind]: null };
          if (summary === null) continue;
          if (!records.value.some((r) => r.id === summary.id)) records.value = [summary, ...records.value];
          void open(summary.id);
          void useProjectStore().refresh();
        }
      },
    );
  }

  return {
    records,
    loaded,
    tab,
    predictDraft,
    scanDraft,
    variantsDraft,
    explainDraft,
    jobIds,
    starting,
    selectedId,
    current,
    currentLoading,
    models,
    isBusy,
    jobOf,
    init,
    refresh,
    open,
    close,
    setTab,
    predictWith,
    startJob,
    dismissJob,
    remove,
    rows,
    variantRows,
    track,
  };
});
