import path from 'node:path';
import { ApiError, type SelftestResult } from '../../src-shared/api';
import { appVersion } from '../paths';
import { ProjectStore } from '../project';
import type { ParsedArgs } from './args';
import { bad, int } from './flags';
import { INFERENCE_USAGE } from './inference-commands';
import { cliService, watchProgress, withStore } from './job-session';
import { MODEL_USAGE } from './model-commands';
import { MOTIF_USAGE } from './motif-commands';
import { ONNX_USAGE } from './onnx-commands';
import { REPORT_USAGE } from './report-commands';
import { PRETRAIN_USAGE } from './pretrain-commands';
import { TRAINING_USAGE } from './training-commands';

export interface Output {
  readonly json: boolean;
  print(human: string, json: unknown): void;
  progress(line: string): void;
}

export const USAGE = `Usage: dnalm <command> [options]

  dnalm --version                          print the version
  dnalm project create PATH [--description TEXT] [--json]
                                           create a project folder PATH (.dnalm is added if missing)
  dnalm project info PATH [--json]         show a project's name, schema version and contents
  dnalm dataset import PROJECT FILES... [--name N] [--description TEXT] [--format F] [--label-column C]
                 [--sequence-column C] [--label-regex R] [--reference FASTA] [--flank N] [--resize N]
                 [--split given|random|seed=S[,train=0.8,validation=0.1,test=0.1]|chrom=test:chr1,chr2;validation:chr3]
                 [--ambiguous reject|to-n|drop] [--invalid reject|drop] [--duplicates keep|drop]
                 [--leakage keep|drop] [--min-length N] [--max-length N] [--json]
                                           check and import files or folders (FASTA, CSV/TSV, BED + reference,
                                           DNABERT TSV, a genomic-benchmarks or <split>.csv.gz folder) as a dataset;
                                           a refused import names file and line and leaves the project unchanged
  dnalm dataset list PROJECT [--json]      list the project's datasets
  dnalm dataset show PROJECT NAME|ID [--json]
                                           counts per split and class, lengths, content hash, sources, top 6-mers
  dnalm dataset export PROJECT NAME|ID OUT.csv|OUT.fasta [--split S]
                                           write a dataset (or one split) as CSV (sequence,label,split) or FASTA
  dnalm selftest [--size N] [--repeats N] [--json]
                                           load the compute engine, report its backend and time a matmul
${TRAINING_USAGE}
${PRETRAIN_USAGE}
${MODEL_USAGE}
${INFERENCE_USAGE}
${ONNX_USAGE}
${REPORT_USAGE}
${MOTIF_USAGE}

Exit codes: 0 ok, 1 user error (reason on stderr), 2 internal error.`;

export async function projectCreate(args: ParsedArgs, out: Output): Promise<void> {
  const target = args.positional[2];
  if (!target) bad('Give the folder of the new project: dnalm project create PATH');
  const description = args.flags.get('description');
  const store = await ProjectStore.create(path.resolve(target), {
    appVersion,
    ...(typeof description === 'string' ? { description } : {}),
  });
  try {
    const summary = store.summary();
    out.print(`Created project "${summary.name}" at ${summary.path} (schema version ${summary.schemaVersion}).`, summary);
  } finally {
    store.close();
  }
}

export async function projectInfo(args: ParsedArgs, out: Output): Promise<void> {
  const target = args.positional[2];
  if (!target) bad('Give the project folder: dnalm project info PATH');
  // Read-only: works while the desktop app has the project open, and never writes to it.
  await withStore(target, true, (store) => {
    const s = store.summary();
    const c = s.counts;
    out.print(
      [
        `Project:        ${s.name}${s.isDemo ? ' (demo)' : ''}`,
        `Path:           ${s.path}`,
        `Schema version: ${s.schemaVersion}`,
        `Created:        ${s.createdAt} with DNA LM Studio ${s.createdWithVersion}`,
        `Contents:       ${c.datasets} datasets, ${c.runs} runs, ${c.models} models, ${c.predictions} predictions, ${c.jobs} jobs`,
        ...(s.description ? [`Description:    ${s.description}`] : []),
      ].join('\n'),
      s,
    );
  });
}

export async function selftest(args: ParsedArgs, out: Output): Promise<void> {
  const size = int(args, 'size');
  const repeats = int(args, 'repeats');
  // No project: the job manager records nothing, and the few-second job is looked at four times a second.
  const jobs = cliService().detachedJobManager();
  const job = jobs.start('selftest', { ...(size ? { size } : {}), ...(repeats ? { repeats } : {}) });
  const stopWatching = watchProgress(jobs, job.id, out, { everyMs: 250 });
  const done = await jobs.waitFor(job.id).finally(stopWatching);
  if (done.status !== 'success') {
    throw new ApiError('INTERNAL', done.error?.message ?? `The self-test ended with status ${done.status}.`);
  }
  const r = done.result as SelftestResult;
  const tried = r.attempts.map((a) => `${a.backend} (${a.ok ? 'ok' : a.reason})`).join(', ');
  out.print(
    [
      `Engine backend: ${r.backend}   [tried: ${tried}]`,
      `TensorFlow.js:  ${r.tfjsVersion}`,
      `Matmul ${r.matmul.size}x${r.matmul.size}: ${r.matmul.msPerMatmul} ms (${r.matmul.gflops} GFLOP/s, median of ${r.matmul.repeats})`,
      `Correctness:    max abs error ${r.maxAbsError.toExponential(2)} against a reference product`,
    ].join('\n'),
    r,
  );
}
