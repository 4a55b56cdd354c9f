import { computed, ref, watch, type ComputedRef, type Ref } from 'vue';
import type { JobDto, JobKind } from '../../src-shared/api/dto';
import { useAppStore } from './app';
import { useJobsStore } from './jobs';

/** One job of a kind that a page shows (its live view or progress), as its id and its current state from the jobs store. */
export interface FollowedJob {
  /** The followed job's id; null when none is shown. */
  readonly id: Ref<number | null>;
  readonly job: ComputedRef<JobDto | null>;
  /** True while a start request is in flight. */
  readonly starting: Ref<boolean>;
  /** Records the job (as the start request answered it) and follows it. */
  follow(job: JobDto): void;
  /** Follows the newest unfinished job of the kind when none is followed (coming back to the page while one runs). */
  adopt(): void;
  /**
   * Sends a start request with `starting` set meanwhile; a job it answers is followed and handed to `onStarted`. A
   * failed request shows a banner and gives undefined.
   */
  launch(request: () => Promise<JobDto>, onStarted: (job: JobDto) => void): Promise<JobDto | undefined>;
  /** Calls `handler` each time the followed job finishes successfully. Call within the store's `init()`. */
  onSuccess(handler: (job: JobDto) => void): void;
}

/** Follows a job of `kind`; call in a store's setup. */
export function useFollowedJob(kind: JobKind): FollowedJob {
  const jobs = useJobsStore();
  const id = ref<number | null>(null);
  const starting = ref(false);
  const job = computed<JobDto | null>(() => (id.value === null ? null : (jobs.byId[id.value] ?? null)));

  function follow(started: JobDto): void {
    jobs.apply(started);
    id.value = started.id;
  }

  function adopt(): void {
    if (id.value !== null) return;
    const running = jobs.list.find((j) => j.kind === kind && j.state !== 'done');
    if (running !== undefined) id.value = running.id;
  }

  async function launch(request: () => Promise<JobDto>, onStarted: (job: JobDto) => void): Promise<JobDto | undefined> {
    starting.value = true;
    try {
      const started = await useAppStore().run(request);
      if (started !== undefined) {
        follow(started);
        onStarted(started);
      }
      return started;
    } finally {
      starting.value = false;
    }
  }

  function onSuccess(handler: (job: JobDto) => void): void {
    watch(
      () => (job.value?.state === 'done' ? job.value : null),
      (done) => {
        if (done === null || done.status !== 'success') return;
        handler(done);
      },
    );
  }

  return { id, job, starting, follow, adopt, launch, onSuccess };
}
