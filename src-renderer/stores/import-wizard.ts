import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { ImportFormat, ImportOptions, ImportPreview, ImportReport } from '../../src-shared/api/datasets';
import type { JobDto } from '../../src-shared/api/dto';
import { ApiError } from '../../src-shared/api/errors';
import { useApi } from '../bridge/use-api';
import { asDatasetSummary, asImportReport, errorMessage } from '../lib/datasets';
import {
  buildOptions,
  draftFromPreview,
  parsePaths,
  type DraftProblem,
  type ImportDraft,
} from '../lib/import-options';
import { useAppStore } from './app';
import { useDatasetsStore } from './datasets';
import { useJobsStore } from './jobs';
import { useProjectStore } from './project';

export type WizardStep = 1 | 2 | 3 | 4 | 5;

export const WIZARD_STEPS: readonly { readonly step: WizardStep; readonly title: string }[] = [
  { step: 1, title: 'Choose files' },
  { step: 2, title: 'Preview and columns' },
  { step: 3, title: 'Rules and split' },
  { step: 4, title: 'Check' },
  { step: 5, title: 'Import' },
];

/** One file dropped on the drop zone, while it is handed to the service (uploaded, in a browser). */
export interface DroppedItem {
  readonly id: number;
  readonly name: string;
  readonly size: number;
  readonly state: 'uploading' | 'done' | 'error';
  readonly path: string | null;
  readonly error: string | null;
}

/** What the drop zone hands over: the File and whether the browser says it is a folder. */
export interface DroppedInput {
  readonly file: File;
  readonly isDirectory: boolean;
}

/** How long option changes on the check step wait before validating again (typing a length, say). */
export const REVALIDATE_DELAY_MS = 400;

/**
 * The import wizard: the paths, the preview, the draft the controls edit, and the validation and import jobs. It lives
 * in a store so that leaving the Datasets page (to watch Jobs, say) keeps what was chosen; a failed import keeps
 * everything so the user can change a setting and try again. Opening another project resets it.
 */
export const useImportWizardStore = defineStore('importWizard', () => {
  const open = ref(false);
  const step = ref<WizardStep>(1);
  const pathsText = ref('');
  const dropped = ref<DroppedItem[]>([]);
  const browsing = ref(false);
  const previewing = ref(false);
  const previewError = ref<string | null>(null);
  const preview = ref<ImportPreview | null>(null);
  /** The paths and format the preview was made for; the options use these. */
  const previewPaths = ref<string[]>([]);
  const format = ref<ImportFormat>('auto');
  const draft = ref<ImportDraft | null>(null);

  const validateJobId = ref<number | null>(null);
  /** The options (as JSON) the current validation job checks. */
  const validatedKey = ref<string | null>(null);
  const validateStarting = ref(false);
  const validateError = ref<string | null>(null);

  const importJobId = ref<number | null>(null);
  const importStarting = ref(false);
  const importError = ref<string | null>(null);

  let nextDroppedId = 1;
  let validateRequest = 0;
  let importRequest = 0;
  let revalidateTimer: ReturnType<typeof setTimeout> | null = null;

  const jobs = useJobsStore();

  const paths = computed(() => parsePaths(pathsText.value));
  const uploading = computed(() => dropped.value.some((d) => d.state === 'uploading'));

  const built = computed<{ options: ImportOptions | null; problems: DraftProblem[] }>(() => {
    if (preview.value === null || draft.value === null) return { options: null, problems: [] };
    return buildOptions(draft.value, { paths: previewPaths.value, preview: preview.value, format: format.value });
  });
  const options = computed(() => built.value.options);
  const optionsKey = computed(() => (options.value === null ? null : JSON.stringify(options.value)));

  function problemsFor(s: 2 | 3): DraftProblem[] {
    return built.value.problems.filter((p) => p.step === s);
  }

  const validateJob = computed<JobDto | null>(() =>
    validateJobId.value === null ? null : (jobs.byId[validateJobId.value] ?? null),
  );
  const validating = computed(
    () => validateStarting.value || (validateJob.value !== null && validateJob.value.state !== 'done'),
  );
  const report = computed<ImportReport | null>(() => {
    const job = validateJob.value;
    if (job === null || job.state !== 'done' || job.status !== 'success') return null;
    return asImportReport(job.result);
  });
  /** The report describes the options as they are now. */
  const reportFresh = computed(() => report.value !== null && validatedKey.value === optionsKey.value);
  const validationFailure = computed<string | null>(() => {
    if (validateError.value !== null) return validateError.value;
    const job = validateJob.value;
    if (job === null || job.state !== 'done') return null;
    if (job.status === 'failure') return job.error?.message ?? 'The check failed.';
    if (job.status === 'success' && report.value === null) return 'The check finished without a report. Try again.';
    return null;
  });
  const validationCancelled = computed(
    () => validateJob.value?.state === 'done' && validateJob.value.status === 'cancelled',
  );

  const importJob = computed<JobDto | null>(() =>
    importJobId.value === null ? null : (jobs.byId[importJobId.value] ?? null),
  );
  const importing = computed(() => importStarting.value || (importJob.value !== null && importJob.value.state !== 'done'));
  const importCancelled = computed(() => importJob.value?.state === 'done' && importJob.value.status === 'cancelled');
  const canImport = computed(
    () =>
      options.value !== null &&
      reportFresh.value &&
      report.value !== null &&
      !report.value.blocked &&
      report.value.accepted > 0 &&
      !importing.value,
  );

  function clearTimer(): void {
    if (revalidateTimer !== null) clearTimeout(revalidateTimer);
    revalidateTimer = null;
  }

  function cancelJobIfActive(job: JobDto | null): void {
    if (job !== null && job.state !== 'done' && !jobs.isCancelling(job.id)) void jobs.cancel(job.id);
  }

  function reset(): void {
    clearTimer();
    validateRequest++;
    importRequest++;
    step.value = 1;
    pathsText.value = '';
    dropped.value = [];
    previewing.value = false;
    previewError.value = null;
    preview.value = null;
    previewPaths.value = [];
    format.value = 'auto';
    draft.value = null;
    validateJobId.value = null;
    validatedKey.value = null;
    validateStarting.value = false;
    validateError.value = null;
    importJobId.value = null;
    importStarting.value = false;
    importError.value = null;
  }

  /** Opens the wizard where it was left (or at the start). */
  function start(): void {
    open.value = true;
  }

  /** Leaves the wizard and forgets it; a running check is cancelled (a running import is not: it finishes). */
  function close(): void {
    cancelJobIfActive(validateJob.value);
    open.value = false;
    if (!importing.value) reset();
  }

  function appendPath(path: string): void {
    if (paths.value.includes(path)) return;
    const text = pathsText.value.replace(/\s+$/, '');
    pathsText.value = text === '' ? path : `${text}\n${path}`;
  }

  function updateDropped(id: number, patch: Partial<DroppedItem>): void {
    dropped.value = dropped.value.map((d) => (d.id === id ? { ...d, ...patch } : d));
  }

  /** Hands dropped files to the service (a browser uploads them) and adds their paths to the list. */
  async function addDropped(inputs: readonly DroppedInput[]): Promise<void> {
    const api = useApi();
    await Promise.all(
      inputs.map(async ({ file, isDirectory }) => {
        const id = nextDroppedId++;
        dropped.value = [...dropped.value, { id, name: file.name, size: file.size, state: 'uploading', path: null, error: null }];
        try {
          const path = await api.files.resolveDropped(file);
          updateDropped(id, { state: 'done', path });
          appendPath(path);
        } catch (err) {
          const message = isDirectory
            ? `"${file.name}" is a folder, and folders cannot be sent from the browser. Type the folder's path in the box below instead.`
            : errorMessage(err);
          updateDropped(id, { state: 'error', error: message });
        }
      }),
    );
  }

  function dismissDropped(id: number): void {
    dropped.value = dropped.value.filter((d) => d.id !== id);
  }

  /** Native file or folder dialog; its choice is added to the list. */
  async function browse(folders: boolean): Promise<void> {
    const app = useAppStore();
    browsing.value = true;
    try {
      const chosen = await useApi().dialog.chooseImportFiles(folders);
      for (const path of chosen ?? []) appendPath(path);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'UNSUPPORTED') app.markDialogsUnsupported();
      else app.pushError(err);
    } finally {
      browsing.value = false;
    }
  }

  /** Reads the heads of the files and shows the preview step. `nextFormat` re-reads them as another format. */
  async function loadPreview(nextFormat?: ImportFormat): Promise<boolean> {
    const list = paths.value;
    if (list.length === 0) {
      previewError.value = 'Add at least one file or folder first: drop it above, browse, or type its path.';
      return false;
    }
    const fmt = nextFormat ?? format.value;
    previewing.value = true;
    previewError.value = null;
    try {
      const result = await useApi().datasets.preview(list, fmt === 'auto' ? undefined : fmt);
      const samePaths = list.length === previewPaths.value.length && list.every((p, i) => p === previewPaths.value[i]);
      const previous = samePaths ? draft.value : null;
      if (previous !== null && fmt === format.value && preview.value?.format === result.format) {
        // The same input read the same way: keep everything the user set.
        preview.value = result;
      } else {
        preview.value = result;
        draft.value = draftFromPreview(result, previous ?? undefined);
      }
      previewPaths.value = list;
      format.value = fmt;
      step.value = 2;
      return true;
    } catch (err) {
      previewError.value = errorMessage(err);
      return false;
    } finally {
      previewing.value = false;
    }
  }

  /** Starts a validation job for the current options (cancelling one that checks older options). */
  async function validate(): Promise<void> {
    clearTimer();
    const opts = options.value;
    const key = optionsKey.value;
    if (opts === null || key === null) return;
    cancelJobIfActive(validateJob.value);
    const request = ++validateRequest;
    validateJobId.value = null;
    validatedKey.value = key;
    validateError.value = null;
    validateStarting.value = true;
    try {
      const job = await useApi().datasets.validate(opts);
      if (request !== validateRequest) {
        cancelJobIfActive(job);
        return;
      }
      jobs.apply(job);
      validateJobId.value = job.id;
    } catch (err) {
      if (request === validateRequest) validateError.value = errorMessage(err);
    } finally {
      if (request === validateRequest) validateStarting.value = false;
    }
  }

  function cancelValidation(): void {
    clearTimer();
    cancelJobIfActive(validateJob.value);
  }

  /** Moves to a step; the check step validates when its report is missing or stale. */
  function goTo(next: WizardStep): void {
    if (next >= 2 && preview.value === null) return;
    if (next >= 3 && problemsFor(2).length > 0) return;
    if (next >= 4 && problemsFor(3).length > 0) return;
    step.value = next;
    if (next === 4 && !reportFresh.value && !(validating.value && validatedKey.value === optionsKey.value)) {
      void validate();
    }
  }

  function next(): void {
    if (step.value < 4) goTo((step.value + 1) as WizardStep);
  }

  function back(): void {
    if (step.value > 1 && !importing.value) step.value = (step.value - 1) as WizardStep;
  }

  /** Starts the import of exactly the options that were checked. */
  async function startImport(): Promise<void> {
    const opts = options.value;
    if (opts === null || !canImport.value) return;
    const request = ++importRequest;
    step.value = 5;
    importError.value = null;
    importJobId.value = null;
    importStarting.value = true;
    try {
      const job = await useApi().datasets.import(opts);
      if (request !== importRequest) return;
      jobs.apply(job);
      importJobId.value = job.id;
    } catch (err) {
      if (request === importRequest) importError.value = errorMessage(err);
    } finally {
      if (request === importRequest) importStarting.value = false;
    }
  }

  function cancelImport(): void {
    cancelJobIfActive(importJob.value);
  }

  // The import finished: open the new dataset, or keep everything and say what went wrong.
  watch(
    () => (importJob.value?.state === 'done' ? importJob.value : null),
    (job) => {
      if (job === null) return;
      if (job.status === 'success') {
        const summary = asDatasetSummary(job.result);
        if (summary === null) {
          importError.value = 'The import finished, but DNA LM Studio did not say which dataset it made. Look in the list.';
          void useDatasetsStore().refresh();
          return;
        }
        open.value = false;
        reset();
        void useDatasetsStore().imported(summary);
      } else if (job.status === 'failure') {
        importError.value = job.error?.message ?? 'The import failed. Nothing was stored.';
      }
    },
  );

  // On the check step a changed option validates again (after a short pause, so typing does not start many jobs).
  watch(optionsKey, (key) => {
    if (step.value !== 4 || key === null || key === validatedKey.value) return;
    clearTimer();
    revalidateTimer = setTimeout(() => {
      revalidateTimer = null;
      if (step.value === 4 && optionsKey.value !== null && optionsKey.value !== validatedKey.value) void validate();
    }, REVALIDATE_DELAY_MS);
  });

  // Another project (or none): this wizard's files and jobs belong to the old one.
  watch(
    () => useProjectStore().current?.path ?? null,
    () => {
      open.value = false;
      reset();
    },
  );

  return {
    open,
    step,
    pathsText,
    paths,
    dropped,
    uploading,
    browsing,
    previewing,
    previewError,
    preview,
    previewPaths,
    format,
    draft,
    options,
    optionsKey,
    problemsFor,
    validateJob,
    validating,
    report,
    reportFresh,
    validationFailure,
    validationCancelled,
    validatedKey,
    importJob,
    importing,
    importError,
    importCancelled,
    canImport,
    start,
    close,
    reset,
    appendPath,
    addDropped,
    dismissDropped,
    browse,
    loadPreview,
    validate,
    cancelValidation,
    goTo,
    next,
    back,
    startImport,
    cancelImport,
  };
});
