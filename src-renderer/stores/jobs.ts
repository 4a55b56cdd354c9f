import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { JobDto, JobState, SelftestParams } from '../../src-shared/api/dto';
import { useApi } from '../bridge/use-api';
import { useAppStore } from './app';
import { useProjectStore } from './project';
import { reloadOnProjectChange } from './project-scoped';

/** One point of a job's metric history: the step and the metrics reported at that step. */
export interface MetricPoint {
  readonly step: number;
  readonly metrics: Readonly<Record<string, number>>;
}

const STATE_ORDER: Readonly<Record<JobState, number>> = { queued: 0, running: 1, done: 2 };

/**
 * Whether `incoming` may replace `known`. Updates can arrive out of order (an event racing the jobs.list snapshot, a
 * progress event delivered after the final one): a job never goes back to an earlier state, and while running its
 * progress never goes backwards.
 */
export function isNewerJob(incoming: JobDto, known: JobDto | undefined): boolean {
  if (known === undefined) return true;
  const a = STATE_ORDER[incoming.state];
  const b = STATE_ORDER[known.state];
  if (a !== b) return a > b;
  if (incoming.state !== 'running') return true;
  if (incoming.progress.step !== known.progress.step) return incoming.progress.step > known.progress.step;
  return incoming.progress.fraction >= known.progress.fraction;
}

type FrameScheduler = (callback: () => void) => void;

function defaultScheduler(callback: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => callback());
  else setTimeout(callback, 16);
}

/** Jobs of the open project by id, kept current by jobs.onUpdate, with a metric history per job for the charts. */
export const useJobsStore = defineStore('jobs', () => {
  const byId = ref<Record<number, JobDto>>({});
  /**
   * Bumped at most once per animation frame for each job whose metric history grew. Charts watch this number and read
   * the (deliberately non-reactive) history with `historyOf`, so a burst of progress events redraws a chart once.
   */
  const historyVersion = ref<Record<number, number>>({});
  const history = new Map<number, MetricPoint[]>();
  const dirty = new Set<number>();
  let frameScheduled = false;
  let scheduleFrame: FrameScheduler = defaultScheduler;
  let initialized = false;
  const cancelling = ref<Record<number, boolean>>({});

  const list = computed(() => Object.values(byId.value).sort((x, y) => y.id - x.id));
  const runningCount = computed(() => list.value.filter((j) => j.state === 'running').length);
  const queuedCount = computed(() => list.value.filter((j) => j.state === 'queued').length);

  function flushCharts(): void {
    frameScheduled = false;
    if (dirty.size === 0) return;
    const next = { ...historyVersion.value };
    for (const id of dirty) next[id] = (next[id] ?? 0) + 1;
    dirty.clear();
    historyVersion.value = next;
  }

  function recordMetrics(job: JobDto): void {
    const metrics = job.progress.metrics;
    if (Object.keys(metrics).length === 0) return;
    let points = history.get(job.id);
    if (points === undefined) {
      points = [];
      history.set(job.id, points);
    }
    const last = points[points.length - 1];
    const point: MetricPoint = { step: job.progress.step, metrics: { ...metrics } };
    if (last !== undefined && last.step === point.step) points[points.length - 1] = point;
    else if (last === undefined || last.step < point.step) points.push(point);
    else return;
    dirty.add(job.id);
    if (!frameScheduled) {
      frameScheduled = true;
      scheduleFrame(flushCharts);
    }
  }

  /** Applies one update; returns false when it was stale and ignored. */
  function apply(job: JobDto): boolean {
    const known = byId.value[job.id];
    if (!isNewerJob(job, known)) return false;
    byId.value = { ...byId.value, [job.id]: job };
    recordMetrics(job);
    if (job.state === 'done') {
      const { [job.id]: _, ...rest } = cancelling.value;
      cancelling.value = rest;
      if (known !== undefined && known.state !== 'done' && job.kind === 'selftest' && job.status === 'success') {
        // The self-test chose a backend: the status bar should show it even if no engine event arrives.
        void useAppStore().refreshEngine();
      }
    }
    return true;
  }

  function historyOf(id: number): readonly MetricPoint[] {
    return history.get(id) ?? [];
  }

  function clear(): void {
    byId.value = {};
    historyVersion.value = {};
    cancelling.value = {};
    history.clear();
    dirty.clear();
  }

  /** Loads the open project's jobs (merging with anything already received by events). */
  async function refresh(): Promise<void> {
    const jobs = await useAppStore().run(() => useApi().jobs.list());
    if (jobs === undefined) return;
    for (const job of jobs) apply(job);
  }

  async function startSelftest(params: SelftestParams = {}): Promise<JobDto | undefined> {
    const job = await useAppStore().run(() => useApi().jobs.startSelftest(params));
    if (job !== undefined) apply(job);
    return job;
  }

  async function cancel(id: number): Promise<void> {
    cancelling.value = { ...cancelling.value, [id]: true };
    const job = await useAppStore().run(() => useApi().jobs.cancel(id));
    if (job !== undefined) apply(job);
    else {
      const { [id]: _, ...rest } = cancelling.value;
      cancelling.value = rest;
    }
  }

  function isCancelling(id: number): boolean {
    return cancelling.value[id] === true;
  }

  /** Subscribes to job updates and reloads the list whenever another project is opened. */
  function init(): void {
    if (initialized) return;
    initialized = true;
    const project = useProjectStore();
    useApi().jobs.onUpdate((job) => {
      // Jobs belong to a project; a late update from one that was just closed is not shown.
      if (project.current !== null) apply(job);
    });
    reloadOnProjectChange(clear, refresh);
  }

  /** Tests replace requestAnimationFrame with a manual scheduler. */
  function setFrameScheduler(scheduler: FrameScheduler): void {
    scheduleFrame = scheduler;
  }

  return {
    byId,
    list,
    runningCount,
    queuedCount,
    historyVersion,
    historyOf,
    apply,
    clear,
    refresh,
    startSelftest,
    cancel,
    isCancelling,
    init,
    setFrameScheduler,
  };
});
