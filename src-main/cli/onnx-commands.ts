/** `dnalm export-onnx`: a project's model as an .onnx file for ONNX Runtime and other ONNX tools. */
import { exportOnnxModel } from '../inference/onnx/onnx-export';
import type { ParsedArgs } from './args';
import type { Output } from './commands';
import { bad, modelNumber, text } from './flags';
import { withStore } from './job-session';

export const ONNX_VALUED_FLAGS = ['model', 'out'];

export const ONNX_USAGE = `  dnalm export-onnx PROJECT --model ID --out FILE.onnx [--json]
                                           write a CNN or BERT classifier as an ONNX file (opset 17; inputs
                                           input_ids and, for BERT, attention_mask as int64 [batch, length];
                                           output logits; classes and tokenizer in the file's metadata)`;

export async function exportOnnx(args: ParsedArgs, out: Output): Promise<void> {
  const usage = 'dnalm export-onnx PROJECT --model ID --out FILE.onnx';
  const project = args.positional[1] ?? bad(`Give the project folder: ${usage}`);
  const idText = text(args, 'model') ?? bad(`Give the model number with --model: ${usage}`);
  const target = text(args, 'out');
  if (target === undefined || target === '') bad(`Give the file to write with --out: ${usage}`);
  const id = modelNumber(idText, usage);
  await withStore(project, true, async (store) => {
    const result = await exportOnnxModel(store, id, target);
    out.print(`Exported model ${id} to ${result.path} (${result.bytes.toLocaleString('en')} bytes)`, result);
  });
}
