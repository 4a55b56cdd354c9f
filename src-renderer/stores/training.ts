import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Invoke, RequestOf, ResponseOf } from '../../src-shared/api/channels';
import type { JobDto } from '../../src-shared/api/dto';
import type {
  CompareSettings,
  CompareSummary,
  ModelSummary,
  PreflightEstimate,
  RunDetail,
  RunSummary,
  TrainSettings,
} from '../../src-shared/api/training';
import { useApi } from '../bridge/use-api';
import { errorMessage } from '../lib/datasets';
import { asCompareSummary, asRunSummary, defaultDraft, FAMILY_DEFAULTS, type TrainDraft } from '../lib/training';
import { useAppStore } from './app';
import { useFollowedJob } from './followed-job';
import { useNavStore } from './nav';
import { useProjectStore } from './project';
import { reloadOnProjectChange, useBusyKeys } from './project-scoped';

/** The Train page's tabs. */
export type TrainTab = 'new' | 'runs' | 'compare';

export type PreflightAnswer = { readonly estimate: PreflightEstimate } | { readonly error: string };

/** What the Import model dialog sends: a Hugging Face checkpoint folder, an optional name and the confirmed licence. */
export type HfImportRequest = RequestOf<typeof Invoke.modelsImportHf>;
export type HfImportAnswer = { readonly model: ModelSummary } | { readonly error: string };
export type HfExportResult = ResponseOf<typeof Invoke.modelsExportHf>;
export type HfExportAnswer = { readonly result: HfExportResult } | { readonly error: string };

/**
 * Training runs, models and compare experiments of the open project (kept current by runs.onChanged and
 * models.onChanged, reloaded when another project is opened), the Train form's draft (so leaving the page keeps it),
 * the train and compare jobs started from the page, and the run whose page is shown. Failed actions show a banner and
 * return undefined, like the other stores.
 */
export const useTrainingStore = defineStore('training', () => {
  const runs = ref<readonly RunSummary[]>([]);
  const models = ref<readonly ModelSummary[]>([]);
  const comparisons = ref<readonly CompareSummary[]>([]);
  /** True once the lists of the open project were read (successfully or not). */
  const loaded = ref(false);
  const tab = ref<TrainTab>('new');
  const draft = ref<TrainDraft>(defaultDraft());

  /** The train job whose live view is shown on the New run tab. */
  const trainJob = useFollowedJob('train');
  const { id: activeJobId, job: activeJob, starting } = trainJob;
  /** The compare job shown on the Compare tab. */
  const compareFollowed = useFollowedJob('compare');
  const { id: compareJobId, job: compareJob, starting: compareStarting } = compareFollowed;
  /** The comparison whose result is shown on the Compare tab. */
  const selectedCompareId = ref<number | null>(null);

  /** The run whose page is shown (on any tab); null shows the tab. */
  const selectedRunId = ref<number | null>(null);
  const currentRun = ref<RunDetail | null>(null);
  const currentRunLoading = ref(false);
  /** Run or model ids with a delete in flight (`run:3`, `model:5`). */
  const { busy, isBusy, whileBusy } = useBusyKeys<string>();
  let initialized = false;
  let listRequest = 0;
  let runRequest = 0;

  const runById = computed(() => new Map(runs.value.map((r) => [r.id, r])));
  const modelById = computed(() => new Map(models.value.map((m) => [m.id, m])));
  /**
   * Models a BERT can start from: pretrained encoders first, then BERTs trained on another task (their encoder
   * carries over; the classifier head starts new).
   */
  const pretrainedModels = computed(() =>
    models.value
      .filter((m) => m.architecture === 'bert')
      .sort((a, b) => Number(b.role === 'pretrained') - Number(a.role === 'pretrained') || b.id - a.id),
  );
  const currentCompare = computed<CompareSummary | null>(() => {
    if (selectedCompareId.value === null) return null;
    const fromList = comparisons.value.find((c) => c.id === selectedCompareId.value);
    if (fromList !== undefined) return fromList;
    const fromJob = asCompareSummary(compareJob.value?.result);
    return fromJob !== null && fromJob.id === selectedCompareId.value ? fromJob : null;
  });

  function setRuns(next: readonly RunSummary[]): void {
    runs.value = [...next].sort((a, b) => b.id - a.id);
    const detail = currentRun.value;
    if (detail !== null) {
      const summary = next.find((r) => r.id === detail.id);
      if (summary === undefined) closeRun();
      else if (summary.status !== detail.status || summary.epochsDone !== detail.epochsDone || summary.name !== detail.name) {
        // The run moved on (finished, renamed elsewhere): read its detail again.
        void loadRun(detail.id);
      }
    }
  }

  function setModels(next: readonly ModelSummary[]): void {
    models.value = [...next].sort((a, b) => b.id - a.id);
  }

  function setComparisons(next: readonly CompareSummary[]): void {
    comparisons.value = [...next].sort((a, b) => b.id - a.id);
  }

  function clear(): void {
    listRequest++;
    runRequest++;
    runs.value = [];
    models.value = [];
    comparisons.value = [];
    loaded.value = false;
    tab.value = 'new';
    draft.value = defaultDraft();
    activeJobId.value = null;
    compareJobId.value = null;
    selectedCompareId.value = null;
    selectedRunId.value = null;
    currentRun.value = null;
    currentRunLoading.value = false;
    busy.value = {};
  }

  /** Reads runs, models and comparisons. */
  async function refresh(): Promise<void> {
    const request = ++listRequest;
    const app = useAppStore();
    const api = useApi();
    const [r, m, c] = await Promise.all([app.run(() => api.runs.list()), app.run(() => api.models.list()), app.run(() => api.compare.list())]);
    if (request !== listRequest) return;
    if (r !== undefined) setRuns(r);
    if (m !== undefined) setModels(m);
    if (c !== undefined) setComparisons(c);
    loaded.value = true;
  }

  async function refreshComparisons(): Promise<void> {
    const c = await useAppStore().run(() => useApi().compare.list());
    if (c !== undefined) setComparisons(c);
  }

  /** Asks for a pre-flight estimate; an error is returned (for the panel to show), not bannered. */
  async function preflight(settings: TrainSettings): Promise<PreflightAnswer> {
    try {
      return { estimate: await useApi().training.preflight(settings) };
    } catch (err) {
      return { error: errorMessage(err) };
    }
  }

  /** Chooses the model family of the draft, putting that family's default hyper-parameters in place. */
  function setArchitecture(architecture: TrainDraft['architecture']): void {
    if (draft.value.architecture === architecture) return;
    draft.value = { ...draft.value, architecture, ...FAMILY_DEFAULTS[architecture] };
  }

  function showStartedJob(): void {
    tab.value = 'new';
    selectedRunId.value = null;
    currentRun.value = null;
  }

  /** Starts a training job and shows its live view. */
  function start(settings: TrainSettings): Promise<JobDto | undefined> {
    return trainJob.launch(() => useApi().training.start(settings), showStartedJob);
  }

  /** Continues a cancelled run from its last checkpoint and shows its live view. */
  function resume(runId: number): Promise<JobDto | undefined> {
    return trainJob.launch(
      () => useApi().training.resume(runId),
      () => {
        useNavStore().go('train');
        showStartedJob();
      },
    );
  }

  /** Back from the live view to the form. */
  function dismissJob(): void {
    activeJobId.value = null;
  }

  /** Shows the newest unfinished train job (when coming back to the page while one runs). */
  function adoptRunningJob(): void {
    trainJob.adopt();
  }

  async function loadRun(id: number): Promise<RunDetail | undefined> {
    const request = ++runRequest;
    currentRunLoading.value = true;
    try {
      const detail = await useAppStore().run(() => useApi().runs.get(id));
      if (request !== runRequest) return detail;
      if (detail === undefined) {
        if (selectedRunId.value === id && currentRun.value === null) selectedRunId.value = null;
        return undefined;
      }
      currentRun.value = detail;
      return detail;
    } finally {
      if (request === runRequest) currentRunLoading.value = false;
    }
  }

  /** Shows a run's page (from the runs list, the Models page or a comparison). */
  async function openRun(id: number): Promise<void> {
    useNavStore().go('train');
    selectedRunId.value = id;
    if (currentRun.value?.id !== id) currentRun.value = null;
    await loadRun(id);
  }

  function closeRun(): void {
    runRequest++;
    selectedRunId.value = null;
    currentRun.value = null;
    currentRunLoading.value = false;
  }

  function deleteRun(id: number): Promise<boolean> {
    return whileBusy(`run:${id}`, async () => {
      const done = await useAppStore().run(() => useApi().runs.delete(id));
      if (done === undefined) return false;
      setRuns(runs.value.filter((r) => r.id !== id));
      if (selectedRunId.value === id) closeRun();
      void useProjectStore().refresh();
      return true;
    });
  }

  function deleteModel(id: number): Promise<boolean> {
    return whileBusy(`model:${id}`, async () => {
      const done = await useAppStore().run(() => useApi().models.delete(id));
      if (done === undefined) return false;
      setModels(models.value.filter((m) => m.id !== id));
      void useProjectStore().refresh();
      return true;
    });
  }

  /**
   * Imports a Hugging Face checkpoint folder as a model. The error is returned (for the dialog to show next to the
   * form it keeps), not bannered; the new model joins the list at once (models.onChanged follows with the same).
   */
  async function importHf(request: HfImportRequest): Promise<HfImportAnswer> {
    try {
      const model = await useApi().models.importHf(request);
      setModels([model, ...models.value.filter((m) => m.id !== model.id)]);
      void useProjectStore().refresh();
      return { model };
    } catch (err) {
      return { error: errorMessage(err) };
    }
  }

  /** Writes a BERT model as a Hugging Face folder; the error is returned for the dialog to show. */
  async function exportHf(id: number, path: string): Promise<HfExportAnswer> {
    try {
      return { result: await useApi().models.exportHf(id, path) };
    } catch (err) {
      return { error: errorMessage(err) };
    }
  }

  /** Starts a compare experiment and shows its progress on the Compare tab. */
  function startCompare(settings: CompareSettings): Promise<JobDto | undefined> {
    return compareFollowed.launch(
      () => useApi().training.compare(settings),
      () => {
        selectedCompareId.value = null;
        tab.value = 'compare';
      },
    );
  }

  function openCompare(id: number | null): void {
    selectedCompareId.value = id;
    if (id !== null) {
      useNavStore().go('train');
      tab.value = 'compare';
      selectedRunId.value = null;
      currentRun.value = null;
    }
  }

  function setTab(next: TrainTab): void {
    tab.value = next;
    closeRun();
  }

  /** Follows runs/models changes and reloads whenever another project is opened. Safe to call twice. */
  function init(): void {
    if (initialized) return;
    initialized = true;
    const project = useProjectStore();
    const api = useApi();
    api.runs.onChanged((next) => {
      if (project.current === null) return;
      setRuns(next);
    });
    api.models.onChanged((next) => {
      if (project.current === null) return;
      setModels(next);
    });
    reloadOnProjectChange(clear, refresh);
    // A train job that finishes opens its run's page; a finished comparison shows its result.
    trainJob.onSuccess((job) => {
      const summary = asRunSummary(job.result);
      if (summary === null) return;
      if (!runs.value.some((r) => r.id === summary.id)) setRuns([summary, ...runs.value]);
      activeJobId.value = null;
      // The run's page replaces the live view (now, or when the user comes back to Train).
      selectedRunId.value = summary.id;
      currentRun.value = null;
      void loadRun(summary.id);
    });
    compareFollowed.onSuccess((job) => {
      const summary = asCompareSummary(job.result);
      if (summary === null) return;
      if (!comparisons.value.some((c) => c.id === summary.id)) setComparisons([summary, ...comparisons.value]);
      selectedCompareId.value = summary.id;
      void refreshComparisons();
    });
  }

  return {
    runs,
    models,
    comparisons,
    loaded,
    tab,
    draft,
    activeJobId,
    activeJob,
    starting,
    compareJobId,
    compareJob,
    compareStarting,
    selectedCompareId,
    currentCompare,
    selectedRunId,
    currentRun,
    currentRunLoading,
    runById,
    modelById,
    pretrainedModels,
    isBusy,
    init,
    refresh,
    preflight,
    setArchitecture,
    start,
    resume,
    dismissJob,
    adoptRunningJob,
    loadRun,
    openRun,
    closeRun,
    deleteRun,
    deleteModel,
    importHf,
    exportHf,
    startCompare,
    openCompare,
    setTab,
  };
});
