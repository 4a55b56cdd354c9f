/** The `dnalm` command: the application headless, for batch work on lab servers and scripted checks. */
import { ApiError } from '../../src-shared/api';
import { appVersion } from '../paths';
import { parseArgs } from './args';
import { USAGE, projectCreate, projectInfo, selftest, type Output } from './commands';
import { DATASET_VALUED_FLAGS, datasetExport, datasetImport, datasetList, datasetShow } from './dataset-commands';
import { INFERENCE_VALUED_FLAGS, predict, scan, variants } from './inference-commands';
import { MODEL_VALUED_FLAGS, modelExport, modelImport } from './model-commands';
import { MOTIF_VALUED_FLAGS, motifScansList, motifsList, motifsScan } from './motif-commands';
import { ONNX_VALUED_FLAGS, exportOnnx } from './onnx-commands';
import { PRETRAIN_VALUED_FLAGS, pretrain, pretrainAblation } from './pretrain-commands';
import { REPORT_VALUED_FLAGS, report } from './report-commands';
import { TRAINING_VALUED_FLAGS, compare, evaluate, train } from './training-commands';

const EXIT_OK = 0;
const EXIT_USER = 1;
const EXIT_INTERNAL = 2;

async function run(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, ['description', 'size', 'repeats', ...DATASET_VALUED_FLAGS, ...TRAINING_VALUED_FLAGS, ...MODEL_VALUED_FLAGS, ...ONNX_VALUED_FLAGS, ...REPORT_VALUED_FLAGS, ...INFERENCE_VALUED_FLAGS, ...MOTIF_VALUED_FLAGS, ...PRETRAIN_VALUED_FLAGS]);
  const json = args.flags.has('json');
  const out: Output = {
    json,
    print: (human, value) => console.log(json ? JSON.stringify(value, null, 2) : human),
    progress: (line) => {
      if (!json || process.stderr.isTTY) process.stderr.write(`${line}\n`);
    },
  };
  const [group, verb] = args.positional;
  if (args.flags.has('version')) {
    console.log(json ? JSON.stringify({ version: appVersion }) : appVersion);
    return EXIT_OK;
  }
  if (args.flags.has('help') || group === undefined || group === 'help') {
    console.log(USAGE);
    return group === undefined && !args.flags.has('help') ? EXIT_USER : EXIT_OK;
  }
  if (group === 'project' && verb === 'create') await projectCreate(args, out);
  else if (group === 'project' && verb === 'info') await projectInfo(args, out);
  else if (group === 'dataset' && verb === 'import') await datasetImport(args, out);
  else if (group === 'dataset' && verb === 'list') await datasetList(args, out);
  else if (group === 'dataset' && verb === 'show') await datasetShow(args, out);
  else if (group === 'dataset' && verb === 'export') await datasetExport(args, out);
  else if (group === 'model' && verb === 'import') await modelImport(args, out);
  else if (group === 'model' && verb === 'export') await modelExport(args, out);
  else if (group === 'selftest') await selftest(args, out);
  else if (group === 'export-onnx') await exportOnnx(args, out);
  else if (group === 'train') await train(args, out);
  else if (group === 'evaluate') await evaluate(args, out);
  else if (group === 'compare') await compare(args, out);
  else if (group === 'pretrain') await pretrain(args, out);
  else if (group === 'pretrain-ablation') await pretrainAblation(args, out);
  else if (group === 'report') await report(args, out);
  else if (group === 'predict') await predict(args, out);
  else if (group === 'scan') await scan(args, out);
  else if (group === 'variants') await variants(args, out);
  else if (group === 'motifs' && verb === 'list') await motifsList(args, out);
  else if (group === 'motifs' && verb === 'scans') await motifScansList(args, out);
  else if (group === 'motifs' && verb === 'scan') await motifsScan(args, out);
  else throw new ApiError('INVALID_REQUEST', `Unknown command "${args.positional.join(' ')}". Run dnalm --help.`);
  return EXIT_OK;
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ApiError && err.code !== 'INTERNAL') {
      console.error(`dnalm: ${err.message}`);
      process.exit(EXIT_USER);
    }
    console.error(`dnalm: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(EXIT_INTERNAL);
  },
);
