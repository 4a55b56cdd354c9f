/** `dnalm model import | export`: Hugging Face checkpoints in and out of a project. */
import { exportHfModel, importHfModel } from '../interop/hf-project';
import type { ParsedArgs } from './args';
import type { Output } from './commands';
import { bad, modelNumber, text } from './flags';
import { withStore } from './job-session';

export const MODEL_VALUED_FLAGS = ['licence'];

export const MODEL_USAGE = `  dnalm model import PROJECT FOLDER --licence TEXT [--name N] [--json]
                                           import a Hugging Face / DNABERT BERT checkpoint folder (config.json,
                                           vocab.txt, model.safetensors or pytorch_model.bin); giving --licence
                                           confirms that the weights' licence allows your use
  dnalm model export PROJECT MODEL_ID OUT_FOLDER [--json]
                                           write a BERT model as a Hugging Face folder (config.json, vocab.txt,
                                           model.safetensors, README model card, continue-pretraining recipe)`;

export async function modelImport(args: ParsedArgs, out: Output): Promise<void> {
  const usage = 'dnalm model import PROJECT FOLDER --licence TEXT [--name N]';
  const project = args.positional[2] ?? bad(`Give the project folder: ${usage}`);
  const folder = args.positional[3] ?? bad(`Give the checkpoint folder: ${usage}`);
  const licence = text(args, 'licence');
  if (licence === undefined || licence.trim() === '') bad(`Give the licence of the weights with --licence: ${usage}`);
  const name = text(args, 'name');
  await withStore(project, false, async (store) => {
    const { summary, report } = await importHfModel(store, {
      path: folder,
      licence,
      licenceConfirmed: true,
      ...(name === undefined ? {} : { name }),
    });
    const lines = [
      `Imported model ${summary.id}: "${summary.name}" (${report.architecture}, role ${summary.role}, k = ${report.k}, ${summary.parameters.toLocaleString('en')} parameters)`,
      `  from ${report.files.map((f) => `${f.name} (sha256 ${f.sha256.slice(0, 12)}…)`).join(', ')}; dtypes ${Object.entries(report.dtypes).map(([d, n]) => `${d} x${n}`).join(', ')}`,
      `  ${report.loaded} tensors loaded, ${report.initialized.length} initialized new, ${report.unexpected.length} unexpected, ${report.ignored.length} tied/buffers ignored`,
      ...(summary.classes.length > 0 ? [`  classes: ${summary.classes.join(', ')}`] : []),
      ...report.warnings.map((w) => `  note: ${w}`),
    ];
    out.print(lines.join('\n'), { model: summary, report });
  });
}

export async function modelExport(args: ParsedArgs, out: Output): Promise<void> {
  const usage = 'dnalm model export PROJECT MODEL_ID OUT_FOLDER';
  const project = args.positional[2] ?? bad(`Give the project folder: ${usage}`);
  const idText = args.positional[3] ?? bad(`Give the model number: ${usage}`);
  const target = args.positional[4] ?? bad(`Give the folder to write: ${usage}`);
  const id = modelNumber(idText, usage);
  await withStore(project, true, async (store) => {
    const result = await exportHfModel(store, id, target);
    out.print(`Exported model ${id} to ${result.path}:\n${result.files.map((f) => `  ${f}`).join('\n')}`, result);
  });
}
