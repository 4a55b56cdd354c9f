import path from 'node:path';
import {
  ApiError,
  Events,
  Invoke,
  JOB_KINDS,
  fail,
  isInvokeChannel,
  ok,
  type AppInfo,
  type EngineBackend,
  type EngineStatus,
  type EventChannel,
  type EventMap,
  type HostKind,
  type InvokeChannel,
  type InvokeMap,
  type JobDto,
  type JobKind,
  type ProjectSummary,
  type Result,
  type SelftestResult,
} from '../../src-shared/api';
import { BACKEND_ORDER } from '../engine/backend';
import { JobManager } from '../jobs/job-manager';
import { MemoryJobRecords, ProjectJobRecords } from '../jobs/job-records';
import type { WorkerLauncher } from '../jobs/worker-process';
import { appName, appVersion, workerEntry as defaultWorkerEntry } from '../paths';
import { ProjectStore, RecentProjects } from '../project';
import { datasetHandlers } from '../datasets/dataset-handlers';
import { trainingHandlers } from '../training/training-handlers';
import { inferenceHandlers } from '../inference/inference-handlers';
import { reportHandlers } from '../reports/report-handlers';
import { pretrainHandlers } from '../pretraining/pretrain-handlers';
import { motifHandlers } from '../motifs/motif-handlers';
import { removeImportLeftovers } from '../datasets/staging';
import { componentVersions, readDataLicences } from './about';
import { ensureDemoProject } from './demo-project';
import { JOB_KIND_SPECS } from './job-kinds';
import { optionalRecord, optionalString, requireInteger, requireString } from './request-validation';
import type { DialogProvider, HandlerMap, ServiceContext } from './service-context';

export type { DialogProvider } from './service-context';

function isEngineBackend(value: string): value is EngineBackend {
  return (BACKEND_ORDER as readonly string[]).includes(value);
}

export interface AppServiceOptions {
  readonly host: HostKind;
  readonly userDataDir: string;
  readonly launcher: WorkerLauncher;
  readonly workerEntry?: string;
  readonly dialogs?: DialogProvider;
  readonly cancelGraceMs?: number;
}

type Handlers = HandlerMap<InvokeChannel>;
/** Channels a domain's handler map answers; the core answers the rest. */
type DomainChannel =
  | keyof ReturnType<typeof datasetHandlers>
  | keyof ReturnType<typeof trainingHandlers>
  | keyof ReturnType<typeof inferenceHandlers>
  | keyof ReturnType<typeof reportHandlers>
  | keyof ReturnType<typeof pretrainHandlers>
  | keyof ReturnType<typeof motifHandlers>;
type EventListener = <E extends EventChannel>(channel: E, payload: EventMap[E]) => void;

/**
 * The application service: implements every command of the contract, independent of how it is reached (Electron IPC,
 * the web host's WebSocket, or the CLI calling it directly). It owns the open project and its job manager.
 */
export class AppService {
  private project: ProjectStore | null = null;
  private jobs: JobManager | null = null;
  private engine: EngineStatus = { backend: null, checkedAt: null };
  private readonly listeners = new Set<EventListener>();
  readonly recent: RecentProjects;
  private readonly context: ServiceContext;
  private readonly handlers: Handlers;

  constructor(private readonly options: AppServiceOptions) {
    this.recent = new RecentProjects(path.join(options.userDataDir, 'recent-projects.json'));
    this.context = {
      requireProject: () => this.requireProject(),
      emit: (channel, payload) => this.emit(channel, payload),
      dialogs: () => this.requireDialogs(),
      userDataDir: options.userDataDir,
    };
    this.handlers = {
      ...this.coreHandlers(),
      ...datasetHandlers(this.context),
      ...trainingHandlers(this.context),
      ...inferenceHandlers(this.context),
      ...reportHandlers(this.context),
      ...pretrainHandlers(this.context),
      ...motifHandlers(this.context),
    };
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The single entry point of every host: an unknown channel or any thrown error becomes an error result. */
  async dispatch(channel: unknown, request: unknown): Promise<Result<unknown>> {
    if (!isInvokeChannel(channel)) {
      return fail({ code: 'UNKNOWN_COMMAND', message: `Unknown command "${String(channel)}".` });
    }
    try {
      const handler = this.handlers[channel] as (req: unknown) => Promise<unknown>;
      return ok(await handler(request));
    } catch (err) {
      if (err instanceof ApiError) return fail(err.toData());
      console.error(`DNA LM Studio: command ${channel} failed:`, err);
      return fail({
        code: 'INTERNAL',
        message: `Something went wrong inside DNA LM Studio (${(err as Error).message ?? String(err)}). Details are in the log.`,
      });
    }
  }

  /** Typed direct call, for the CLI and tests: throws ApiError like the renderer's client does. */
  async call<C extends InvokeChannel>(channel: C, request: InvokeMap[C]['request']): Promise<InvokeMap[C]['response']> {
    const result = await this.dispatch(channel, request);
    if (!result.ok) throw ApiError.fromData(result.error);
    return result.value as InvokeMap[C]['response'];
  }

  get currentProject(): ProjectStore | null {
    return this.project;
  }

  jobManager(): JobManager {
    if (!this.jobs) throw new ApiError('NO_PROJECT', 'Open or create a project first: jobs are recorded in the project.');
    return this.jobs;
  }

  /** A job manager that records nothing, for the CLI's self-test without a project. */
  detachedJobManager(): JobManager {
    return this.createJobManager(new MemoryJobRecords());
  }

  async shutdown(): Promise<void> {
    await this.closeProject();
  }

  private emit<E extends EventChannel>(channel: E, payload: EventMap[E]): void {
    for (const listener of this.listeners) listener(channel, payload);
  }

  private createJobManager(records: MemoryJobRecords | ProjectJobRecords): JobManager {
    return new JobManager({
      launcher: this.options.launcher,
      workerEntry: this.options.workerEntry ?? defaultWorkerEntry,
      records,
      onUpdate: (job) => this.onJobUpdate(job),
      titleOf: (kind, params) => JOB_KIND_SPECS[kind].title(params),
      finalize: (job, result) => {
        const finalize = JOB_KIND_SPECS[job.kind].finalize;
        return finalize ? finalize(result, job, this.context) : result;
      },
      cleanup: (job) => JOB_KIND_SPECS[job.kind].cleanup?.(job, this.context),
      ...(this.options.cancelGraceMs === undefined ? {} : { cancelGraceMs: this.options.cancelGraceMs }),
    });
  }

  private onJobUpdate(job: JobDto): void {
    this.emit(Events.jobUpdate, job);
    // The self-test and every training run report the backend they ran on; the status bar shows the latest.
    const backend = job.status === 'success' ? (job.result as Partial<SelftestResult> | null)?.backend : undefined;
    if ((job.kind === 'selftest' || job.kind === 'train') && typeof backend === 'string' && isEngineBackend(backend)) {
      this.engine = { backend, checkedAt: job.finishedAt };
      this.emit(Events.engineStatus, this.engine);
    }
  }

  private async adopt(store: ProjectStore): Promise<ProjectSummary> {
    await this.closeProject();
    // A crash during an earlier import can leave a staged file behind; no job runs yet, so it is safe to remove.
    removeImportLeftovers(store);
    this.project = store;
    this.jobs = this.createJobManager(new ProjectJobRecords(store));
    const summary = store.summary();
    this.recent.touch(store.path, store.name);
    this.emit(Events.projectChanged, summary);
    return summary;
  }

  private async closeProject(): Promise<void> {
    if (!this.project) return;
    const jobs = this.jobs;
    const store = this.project;
    this.jobs = null;
    this.project = null;
    await jobs?.shutdown();
    store.close();
    this.emit(Events.projectChanged, null);
  }

  private requireProject(): ProjectStore {
    if (!this.project) throw new ApiError('NO_PROJECT', 'No project is open. Create or open a project first.');
    return this.project;
  }

  /** The commands of the application itself: about, projects, dialogs and jobs. Domains add their own maps. */
  private coreHandlers(): Omit<Handlers, DomainChannel> {
    return {
    [Invoke.appInfo]: async (): Promise<AppInfo> => ({
      appName,
      version: appVersion,
      host: this.options.host,
      versions: componentVersions(),
      capabilities: { nativeDialogs: this.options.dialogs !== undefined },
      dataLicences: readDataLicences(),
    }),
    [Invoke.engineStatus]: async () => this.engine,
    [Invoke.projectCreate]: async (req) => {
      const folder = requireString(req, 'path', 'a folder for the new project');
      const description = optionalString(req, 'description');
      const store = await ProjectStore.create(path.resolve(folder), {
        appVersion,
        ...(description === undefined ? {} : { description }),
      });
      return this.adopt(store);
    },
    [Invoke.projectOpen]: async (req) => {
      const folder = path.resolve(requireString(req, 'path', 'the project folder to open'));
      if (this.project && path.resolve(this.project.path) === folder) return this.project.summary();
      return this.adopt(await ProjectStore.open(folder, { appVersion }));
    },
    [Invoke.projectOpenDemo]: async () => {
      const demoPath = await ensureDemoProject(this.options.userDataDir);
      if (this.project && path.resolve(this.project.path) === path.resolve(demoPath)) return this.project.summary();
      return this.adopt(await ProjectStore.open(demoPath, { appVersion }));
    },
    [Invoke.projectClose]: async () => {
      await this.closeProject();
      return null;
    },
    [Invoke.projectCurrent]: async () => this.project?.summary() ?? null,
    [Invoke.projectRecent]: async () => this.recent.list(),
    [Invoke.projectForgetRecent]: async (req) => {
      this.recent.forget(requireString(req, 'path', 'the project to remove from the list'));
      return this.recent.list();
    },
    [Invoke.dialogChooseNewProject]: async () => this.requireDialogs().chooseNewProject(),
    [Invoke.dialogChooseProject]: async () => this.requireDialogs().chooseProject(),
    [Invoke.dialogChooseImportFiles]: async (req) =>
      this.requireDialogs().chooseImportFiles(typeof req === 'object' && req !== null && req.folders === true),
    [Invoke.dialogChooseExportFile]: async (req) =>
      this.requireDialogs().chooseExportFile(requireString(req, 'defaultName', 'a file name')),
    [Invoke.jobsList]: async () => (this.project ? this.jobManager().list() : []),
    [Invoke.jobsStart]: async (req) => {
      this.requireProject();
      const kind = requireString(req, 'kind', 'the kind of job');
      if (!(JOB_KINDS as readonly string[]).includes(kind)) {
        throw new ApiError('INVALID_REQUEST', `"${kind}" is not a kind of job this version can run.`);
      }
      const params = optionalRecord(req, 'params');
      const prepare = JOB_KIND_SPECS[kind as JobKind].prepare;
      return this.jobManager().start(kind as JobKind, prepare ? prepare(params, this.context) : params);
    },
    [Invoke.jobsCancel]: async (req) => this.jobManager().cancel(requireInteger(req, 'id')),
    };
  }

  private requireDialogs(): DialogProvider {
    if (!this.options.dialogs) {
      throw new ApiError('UNSUPPORTED', 'File dialogs are only available in the desktop app; type the folder path instead.');
    }
    return this.options.dialogs;
  }
}
