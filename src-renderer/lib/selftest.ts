import type { EngineBackend, SelftestResult } from '../../src-shared/api/dto';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** job.result is `unknown` on the wire; check its shape before showing it. */
export function asSelftestResult(value: unknown): SelftestResult | null {
  if (!isRecord(value) || typeof value['backend'] !== 'string') return null;
  const matmul = value['matmul'];
  if (!isRecord(matmul) || typeof matmul['msPerMatmul'] !== 'number') return null;
  return value as unknown as SelftestResult;
}

/** A readable name for each compute backend. */
export function backendLabel(backend: EngineBackend): string {
  switch (backend) {
    case 'tfjs-node-gpu':
      return 'GPU (CUDA, tfjs-node-gpu)';
    case 'tfjs-node':
      return 'CPU, native (tfjs-node)';
    case 'wasm':
      return 'CPU, WebAssembly (wasm)';
    case 'cpu':
      return 'CPU, plain JavaScript (slowest)';
    default:
      return String(backend);
  }
}
