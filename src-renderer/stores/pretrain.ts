import { defineStore } from 'pinia';
import { computed, effectScope, ref } from 'vue';
import type { JobDto } from '../../src-shared/api/dto';
import type {
  AblationSettings,
  AblationSummary,
  MaskSchedulePhase,
  PretrainPreflight,
  PretrainSettings,
  PretrainSummary,
} from '../../src-shared/api/pretraining';
import { useApi } from '../bridge/use-api';
import { errorMessage } from '../lib/datasets';
import { defaultPretrainDraft, type PretrainDraft } from '../lib/pretrain';
import { defaultAblationDraft, type AblationDraft } from '../lib/pretrain-ablation';
import { asAblationSummary, asPretrainSummary, trainModelFromPretrain } from '../lib/pretrain-runs';
import { useAppStore } from './app';
import { useFollowedJob } from './followed-job';
import { useNavStore } from './nav';
import { useProjectStore } from './project';
import { reloadOnProjectChange } from './project-scoped';
import { useTrainingStore } from './training';

/** The Pretrain page's tabs. */
export type PretrainTab = 'new' | 'runs' | 'ablation';

export type PretrainPreflightAnswer = { readonly estimate: PretrainPreflight } | { readonly error: string };

/**
 * Pretraining runs and ablation experiments of the open project (kept current by pretrain.onChanged, reloaded when
 * another project is opened), the forms' drafts (leaving the page keeps them), the pretrain and ablation jobs started
 * from the page, and the run whose page is shown. Failed actions show a banner and return undefined.
 */
export const usePretrainStore = defineStore('pretrain', () => {
  const runs = ref<readonly PretrainSummary[]>([]);
  const ablations = ref<readonly AblationSummary[]>([]);
  const loaded = ref(false);
  const tab = ref<PretrainTab>('new');
  const draft = ref<PretrainDraft>(defaultPretrainDraft());
  const ablationDraft = ref<AblationDraft>(defaultAblationDraft());

  const pretrainJob = useFollowedJob('pretrain');
  const { id: activeJobId, job: activeJob, starting } = pretrainJob;
  /** The schedule the pre-flight drew for the run just started (until the run's own is known). */
  const startedSchedule = ref<readonly MaskSchedulePhase[]>([]);
  const ablationFollowed = useFollowedJob('ablation');
  const { id: ablationJobId, job: ablationJob, starting: ablationStarting } = ablationFollowed;
  const selectedAblationId = ref<number | null>(null);

  const selectedRunId = ref<number | null>(null);
  const currentRun = ref<PretrainSummary | null>(null);
  let initialized = false;
  let listRequest = 0;
  let runRequest = 0;

  const runById = computed(() => new Map(runs.value.map((r) => [r.id, r])));
  const currentAblation = computed<AblationSummary | null>(() => {
    if (selectedAblationId.value === null) return null;
    const fromList = ablations.value.find((a) => a.id === selectedAblationId.value);
    if (fromList !== undefined) return fromList;
    const fromJob = asAblationSummary(ablationJob.value?.result);
    return fromJob !== null && fromJob.id === selectedAblationId.value ? fromJob : null;
  });

  function setRuns(next: readonly PretrainSummary[]): void {
    runs.value = [...next].sort((a, b) => b.id - a.id);
    const shown = currentRun.value;
    if (shown !== null) {
      const fresh = next.find((r) => r.id === shown.id);
      if (fresh === undefined) closeRun();
      else currentRun.value = fresh;
    }
  }

  function setAblations(next: readonly AblationSummary[]): void {
    ablations.value = [...next].sort((a, b) => b.id - a.id);
  }

  function clear(): void {
    listRequest++;
    runRequest++;
    runs.value = [];
    ablations.value = [];
    loaded.value = false;
    tab.value = 'new';
    draft.value = defaultPretrainDraft();
    ablationDraft.value = defaultAblationDraft();
    activeJobId.value = null;
    startedSchedule.value = [];
    ablationJobId.value = null;
    selectedAblationId.value = null;
    selectedRunId.value = null;
    currentRun.value = null;
  }

  async function refresh(): Promise<void> {
    const request = ++listRequest;
    const app = useAppStore();
    const api = useApi();
    const [r, a] = await Promise.all([app.run(() => api.pretrain.list()), app.run(() => api.pretrain.ablations())]);
    if (request !== listRequest) return;
    if (r !== undefined) setRuns(r);
    if (a !== undefined) setAblations(a);
    loaded.value = true;
  }

  /** Asks for the pre-flight estimate and schedule; an error is returned (for the panel to show), not bannered. */
  async function preflight(settings: PretrainSettings): Promise<PretrainPreflightAnswer> {
    try {
      return { estimate: await useApi().pretrain.preflight(settings) };
    } catch (err) {
      return { error: errorMessage(err) };
    }
  }

  function showStartedJob(schedule: readonly MaskSchedulePhase[]): void {
    startedSchedule.value = schedule;
    tab.value = 'new';
    selectedRunId.value = null;
    currentRun.value = null;
  }

  /** Starts a pretraining job and shows its live view (with the schedule the pre-flight drew). */
  function start(settings: PretrainSettings, schedule: readonly MaskSchedulePhase[] = []): Promise<JobDto | undefined> {
    return pretrainJob.launch(
      () => useApi().pretrain.start(settings),
      () => showStartedJob(schedule),
    );
  }

  /** Continues a cancelled run from its last checkpoint. */
  function resume(runId: number): Promise<JobDto | undefined> {
    return pretrainJob.launch(
      () => useApi().pretrain.resume(runId),
      () => {
        useNavStore().go('pretrain');
        showStartedJob(runById.value.get(runId)?.schedule ?? []);
      },
    );
  }

  function dismissJob(): void {
    activeJobId.value = null;
  }

  /** Shows the newest unfinished pretrain job (when coming back to the page while one runs). */
  function adoptRunningJob(): void {
    pretrainJob.adopt();
    ablationFollowed.adopt();
  }

  async function loadRun(id: number): Promise<PretrainSummary | undefined> {
    const request = ++runRequest;
    const run = await useAppStore().run(() => useApi().pretrain.get(id));
    if (request !== runRequest) return run;
    if (run === undefined) {
      if (selectedRunId.value === id && currentRun.value === null) selectedRunId.value = null;
      return undefined;
    }
    currentRun.value = run;
    return run;
  }

  async function openRun(id: number): Promise<void> {
    useNavStore().go('pretrain');
    selectedRunId.value = id;
    if (currentRun.value?.id !== id) currentRun.value = runById.value.get(id) ?? null;
    await loadRun(id);
  }

  function closeRun(): void {
    runRequest++;
    selectedRunId.value = null;
    currentRun.value = null;
  }

  /**
   * Opens the Train page's form with this run's model chosen as the starting point (a BERT with the run's sizes and k,
   * which must match the model's).
   */
  function fineTune(run: PretrainSummary): void {
    if (run.modelId === null) return;
    const training = useTrainingStore();
    const m = trainModelFromPretrain(run.settings);
    training.setArchitecture('bert');
    Object.assign(training.draft, {
      preset: m.preset,
      k: m.k,
      ...(m.layers === undefined ? {} : { layers: m.layers }),
      ...(m.hidden === undefined ? {} : { hidden: m.hidden }),
      ...(m.heads === undefined ? {} : { heads: m.heads }),
      ...(m.intermediate === undefined ? {} : { intermediate: m.intermediate }),
      init: 'model',
      pretrainedModelId: run.modelId,
    });
    training.dismissJob();
    training.setTab('new');
    useNavStore().go('train');
  }

  function startAblation(settings: AblationSettings): Promise<JobDto | undefined> {
    return ablationFollowed.launch(
      () => useApi().pretrain.ablation(settings),
      () => {
        selectedAblationId.value = null;
        tab.value = 'ablation';
      },
    );
  }

  async function refreshAblations(): Promise<void> {
    const a = await useAppStore().run(() => useApi().pretrain.ablations());
    if (a !== undefined) setAblations(a);
  }

  function openAblation(id: number | null): void {
    selectedAblationId.value = id;
    if (id !== null) {
      useNavStore().go('pretrain');
      tab.value = 'ablation';
      closeRun();
    }
  }

  function setTab(next: PretrainTab): void {
    tab.value = next;
    closeRun();
  }

  function init(): void {
    if (initialized) return;
    initialized = true;
    const project = useProjectStore();
    useApi().pretrain.onChanged((next) => {
      if (project.current === null) return;
      setRuns(next);
    });
    // init() is called from the views that need the store: a detached scope keeps these watchers alive after the view
    // that happened to call it first unmounts (a job finishing while the user is on another page still shows its result).
    effectScope(true).run(() => watchJobsAndProject());
  }

  function watchJobsAndProject(): void {
    reloadOnProjectChange(clear, refresh);
    // A finished pretrain job opens its run's page; a finished ablation shows its table.
    pretrainJob.onSuccess((job) => {
      const summary = asPretrainSummary(job.result);
      if (summary === null) return;
      setRuns([summary, ...runs.value.filter((r) => r.id !== summary.id)]);
      activeJobId.value = null;
      selectedRunId.value = summary.id;
      currentRun.value = summary;
      // The new model joins the Models list and the Train/Compare choices.
      void useTrainingStore().refresh();
    });
    ablationFollowed.onSuccess((job) => {
      const summary = asAblationSummary(job.result);
      if (summary === null) return;
      setAblations([summary, ...ablations.value.filter((a) => a.id !== summary.id)]);
      selectedAblationId.value = summary.id;
      void refreshAblations();
      void useTrainingStore().refresh();
    });
  }

  return {
    runs,
    ablations,
    loaded,
    tab,
    draft,
    ablationDraft,
    activeJobId,
    activeJob,
    starting,
    startedSchedule,
    ablationJobId,
    ablationJob,
    ablationStarting,
    selectedAblationId,
    currentAblation,
    selectedRunId,
    currentRun,
    runById,
    init,
    refresh,
    preflight,
    start,
    resume,
    dismissJob,
    adoptRunningJob,
    loadRun,
    openRun,
    closeRun,
    fineTune,
    startAblation,
    openAblation,
    setTab,
  };
});
