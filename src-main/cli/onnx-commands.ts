/** `dnalm export-onnx`: a project's model as an .onnx file for ONNX Runtime and other ONNX tools. */
import path from 'node:path';
import { ApiError } from '../../src-shared/api';
import { exportOnnxModel } from '../inference/onnx/onnx-export';
import { appVersion } from '../paths';
import { ProjectStore } from '../project';
import type { ParsedArgs } from './args';
import type { Output } from './commands';

export const ONNX_VALUED_FLAGS = ['model', 'out'];

export const ONNX_USAGE = `  dnalm export-onnx PROJECT --model ID --out FILE.onnx [--json]
                                           write a CNN or BERT classifier as an ONNX file (opset 17; inputs
                                           input_ids and, for BERT, attention_mask as int64 [batch, length];
                                           output logits; classes and tokenizer in the file's metadata)`;

const bad = (message: string): never => {
  throw new ApiError('INVALID_REQUEST', message);
};

export async function exportOnnx(args: ParsedArgs, out: Output): Promise<void> {
  const usage = 'dnalm export-onnx PROJECT --model ID --out FILE.onnx';
  const project = args.positional[1] ?? bad(`Give the project folder: ${usage}`);
  const idText = args.flags.get('model');
  const target = args.flags.get('out');
  if (typeof idText !== 'string') bad(`Give the model number with --model: ${usage}`);
  if (typeof target !== 'string' || target === '') bad(`Give the file to write with --out: ${usage}`);
  const id = Number(idText);
  if (!Number.isInteger(id) || id < 1) bad(`The model number must be a positive whole number: ${usage}`);
  const store = await ProjectStore.open(path.resolve(project), { appVersion, readOnly: true });
  try {
    const result = await exportOnnxModel(store, id, String(target));
    out.print(`Exported model ${id} to ${result.path} (${result.bytes.toLocaleString('en')} bytes)`, result);
  } finally {
    store.close();
  }
}
