/**
 * The optional onnxruntime-node package. It is required lazily, and only in the engine worker (its native binding
 * and threads have no business in the app's main process); when it is missing everything falls back to TensorFlow.js.
 * The few parts used are typed here, so the app type-checks where the package could not be installed.
 */
import fs from 'node:fs';

export type OrtTensorType = 'float32' | 'int64' | 'int32';

export interface OrtTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
  readonly type: string;
  dispose?(): void;
}

export interface OrtSessionOptions {
  readonly executionProviders: readonly string[];
  readonly intraOpNumThreads: number;
  readonly interOpNumThreads: number;
  readonly graphOptimizationLevel: 'disabled' | 'basic' | 'extended' | 'all';
  readonly executionMode: 'sequential' | 'parallel';
  /** Session config entries, e.g. { session: { intra_op: { allow_spinning: '0' } } }. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

export interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}

export interface OrtModule {
  readonly InferenceSession: { create(model: Uint8Array | string, options: OrtSessionOptions): Promise<OrtSession> };
  readonly Tensor: new (type: OrtTensorType, data: Float32Array | BigInt64Array | Int32Array, dims: readonly number[]) => OrtTensor;
}

const PACKAGE = 'onnxruntime-node';

let loaded: { ort: OrtModule; version: string } | { error: string } | null = null;

function reasonOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/Cannot find module/.test(message) && message.includes(PACKAGE)) return `${PACKAGE} is not installed`;
  return message.split('\n')[0]?.slice(0, 300) ?? 'failed to load';
}

/** The installed version from its package.json, without loading the native binding (safe in the main process). */
export function onnxRuntimeVersion(): string | null {
  try {
    const file = require.resolve(`${PACKAGE}/package.json`);
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : null;
  } catch {
    return null;
  }
}

/** What `inference:status` reports: installed or not, and the version. Does not load the binding. */
export function onnxRuntimeStatus(): { onnx: boolean; onnxVersion: string | null; detail: string } {
  const version = onnxRuntimeVersion();
  if (version === null) return { onnx: false, onnxVersion: null, detail: `${PACKAGE} is not installed; predictions and scans run on TensorFlow.js.` };
  return { onnx: true, onnxVersion: version, detail: `${PACKAGE} ${version} (cpu): predictions and scans run on ONNX Runtime.` };
}

/** Loads onnxruntime-node once (worker only). Null with the reason when it is missing or its binding fails. */
export function loadOnnxRuntime(): { ort: OrtModule; version: string } | { error: string } {
  if (loaded) return loaded;
  try {
    // A plain require: the package is optional and native; the bundler leaves it external (packages: 'external').
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ort = require(PACKAGE) as OrtModule & { env?: { versions?: { node?: string } } };
    const version = ort.env?.versions?.node ?? onnxRuntimeVersion() ?? 'unknown';
    loaded = { ort, version };
  } catch (err) {
    loaded = { error: reasonOf(err) };
  }
  return loaded;
}
