/** Data shapes that cross the renderer/main boundary. Plain JSON only: no classes, no Dates, no undefined-vs-missing tricks. */

export type HostKind = 'electron' | 'web' | 'cli';

export interface DataLicence {
  readonly name: string;
  readonly description: string;
  readonly source: string;
  readonly licence: string;
  readonly attribution: string;
}

export interface AppInfo {
  readonly appName: string;
  readonly version: string;
  readonly host: HostKind;
  readonly versions: Readonly<Record<string, string>>;
  readonly capabilities: { readonly nativeDialogs: boolean };
  readonly dataLicences: readonly DataLicence[];
}

export interface ProjectCounts {
  readonly datasets: number;
  readonly runs: number;
  readonly models: number;
  readonly predictions: number;
  readonly jobs: number;
}

export interface ProjectSummary {
  readonly path: string;
  readonly name: string;
  readonly schemaVersion: number;
  readonly createdAt: string;
  readonly createdWithVersion: string;
  readonly isDemo: boolean;
  readonly description: string;
  readonly counts: ProjectCounts;
}

export interface RecentProject {
  readonly path: string;
  readonly name: string;
  readonly openedAt: string;
  /** False when the folder was moved or deleted since; the UI offers to remove it from the list. */
  readonly exists: boolean;
}

export const JOB_KINDS = [
  'selftest',
  'dataset-validate',
  'dataset-import',
  'train',
  'compare',
  'predict',
  'scan',
  'variants',
  'explain',
  'pretrain',
  'ablation',
  'motif-scan',
] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export type JobState = 'queued' | 'running' | 'done';
export type JobStatus = 'success' | 'failure' | 'cancelled';

export interface JobProgress {
  /** 0..1 */
  readonly fraction: number;
  readonly step: number;
  readonly total: number;
  readonly etaSeconds: number | null;
  readonly message: string;
  readonly metrics: Readonly<Record<string, number>>;
}

export interface JobDto {
  readonly id: number;
  readonly kind: JobKind;
  readonly title: string;
  readonly state: JobState;
  /** Null until the job is done. */
  readonly status: JobStatus | null;
  readonly progress: JobProgress;
  readonly params: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly result: unknown;
  /** The worker's process id while it runs (shown in the Jobs view for support). */
  readonly workerPid: number | null;
}

export type EngineBackend = 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu';

export interface BackendAttempt {
  readonly backend: EngineBackend;
  readonly ok: boolean;
  readonly reason: string;
}

export interface SelftestParams {
  /** Square matrix size of the timed matmul. */
  readonly size?: number;
  readonly repeats?: number;
}

export interface SelftestResult {
  readonly backend: EngineBackend;
  readonly attempts: readonly BackendAttempt[];
  readonly tfjsVersion: string;
  readonly matmul: {
    readonly size: number;
    readonly repeats: number;
    readonly msPerMatmul: number;
    readonly gflops: number;
  };
  /** The product checked against a plain-JS reference on a small case: the engine computes, not just runs. */
  readonly maxAbsError: number;
}

export interface EngineStatus {
  /** The backend the last self-test chose in this session, or null before one ran. */
  readonly backend: EngineBackend | null;
  readonly checkedAt: string | null;
}
