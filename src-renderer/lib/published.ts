
/**
 * Published results for the benchmark datasets the app ships or that users often import, copied from
 * `shared/data/MANIFEST.md` (Genomic Benchmarks: test accuracy %, F1 in brackets; GUE: MCC × 100 on the test split).
 * Shown beside a run's own result as a rough point of reference.
 */
export interface PublishedEntry {
  readonly model: string;
  /** Accuracy % (Genomic Benchmarks) or MCC × 100 (GUE). */
  readonly value: number;
  readonly f1?: number;
}

export interface PublishedBenchmark {
  readonly family: 'genomic-benchmarks' | 'gue';
  /** The benchmark's own name of the task. */
  readonly task: string;
  readonly metric: 'accuracy' | 'mcc';
  readonly entries: readonly PublishedEntry[];
  readonly source: string;
  /** Why the numbers are only a rough guide for this dataset, when they are. */
  readonly caveat: string | null;
}

const GB_SOURCE =
  'CNN: genomic_benchmarks experiments (Grešová et al. 2023); DNABERT-6: "Fine-Tuning Transformers For Genomic Tasks", mean of 5 runs; HyenaDNA: genomic_benchmarks experiments.';
const GB_CAVEAT =
  'These were measured on the official Genomic Benchmarks test split. The copies shipped with DNA LM Studio are re-split from other parts of the data (and are smaller), so they are not the official splits: use the published numbers only as a rough guide.';
const GUE_SOURCE = 'DNABERT-2 paper (Zhou et al.), Table 4: MCC × 100 on the GUE test split.';

/** [task, CNN PyTorch acc, f1, CNN TF acc, f1, DNABERT-6 acc, f1, HyenaDNA acc]; null = not published. */
const GB_ROWS: readonly [string, number, number, number, number, number | null, number | null, number | null][] = [
  ['human_nontata_promoters', 84.6, 83.7, 86.5, 84.4, 86.1, 86.2, 96.6],
  ['human_ensembl_regulatory', 93.3, 93.3, 79.3, 79.3, null, null, 93.8],
  ['human_ocr_ensembl', 68.0, 66.1, 68.8, 72.0, null, null, 80.9],
  ['human_enhancers_cohn', 69.5, 67.1, 68.9, 71.3, 74.3, 74.2, 74.2],
  ['demo_coding_vs_intergenomic_seqs', 87.6, 86.8, 89.6, 89.4, 92.4, 92.6, 91.3],
  ['demo_human_or_worm', 93.0, 92.8, 94.2, 93.2, 96.6, 96.6, 96.6],
  ['human_enhancers_ensembl', 68.9, 56.5, 81.1, 74.6, null, null, 89.2],
  ['dummy_mouse_enhancers_ensembl', 69.0, 70.4, 50.0, 66.9, null, null, 85.1],
  ['drosophila_enhancers_stark', 58.6, 44.5, 52.4, 69.1, null, null, null],
];

/** [task, DNABERT 6-mer, DNABERT 3-mer, NT-2500M-multi, DNABERT-2]. */
const GUE_ROWS: readonly [string, number, number, number, number][] = [
  ['prom_core_all', 68.9, 70.92, 70.33, 69.37],
  ['prom_core_notata', 70.47, 69.82, 71.58, 68.04],
  ['prom_core_tata', 76.06, 78.15, 72.97, 74.17],
  ['prom_300_tata', 61.56, 69.83, 79.43, 71.59],
  ['tf_0', 66.84, 67.95, 66.64, 71.99],
  ['tf_1', 70.14, 70.9, 70.28, 76.06],
  ['tf_2', 61.03, 60.51, 58.72, 66.52],
  ['tf_3', 51.89, 53.03, 51.65, 58.54],
  ['tf_4', 70.97, 69.76, 69.34, 77.43],
  ['mouse_0', 44.42, 42.31, 63.31, 56.76],
  ['mouse_2', 71.44, 69.9, 71.52, 79.32],
  ['mouse_3', 44.89, 55.4, 69.44, 66.47],
  ['mouse_4', 42.48, 41.97, 47.07, 52.66],
  ['emp_h3', 73.1, 74.15, 78.77, 78.27],
  ['splice_reconstructed', 84.07, 84.14, 89.35, 84.99],
];

/** The shared GUE copies lack these tasks' train split; published numbers used the official one. */
const GUE_NO_TRAIN = new Set(['emp_h3', 'splice_reconstructed']);

function gbBenchmark(row: (typeof GB_ROWS)[number]): PublishedBenchmark {
  const [task, cnnPt, cnnPtF1, cnnTf, cnnTfF1, bert, bertF1, hyena] = row;
  const entries: PublishedEntry[] = [
    { model: 'CNN (PyTorch)', value: cnnPt, f1: cnnPtF1 },
    { model: 'CNN (TensorFlow)', value: cnnTf, f1: cnnTfF1 },
  ];
  if (bert !== null) entries.push({ model: 'DNABERT-6 fine-tuned', value: bert, ...(bertF1 === null ? {} : { f1: bertF1 }) });
  if (hyena !== null) entries.push({ model: 'HyenaDNA', value: hyena });
  return { family: 'genomic-benchmarks', task, metric: 'accuracy', entries, source: GB_SOURCE, caveat: GB_CAVEAT };
}

function gueBenchmark(row: (typeof GUE_ROWS)[number]): PublishedBenchmark {
  const [task, dnabert6, dnabert3, nt, dnabert2] = row;
  return {
    family: 'gue',
    task,
    metric: 'mcc',
    entries: [
      { model: 'DNABERT (6-mer)', value: dnabert6 },
      { model: 'DNABERT (3-mer)', value: dnabert3 },
      { model: 'Nucleotide Transformer 2.5B multi', value: nt },
      { model: 'DNABERT-2', value: dnabert2 },
    ],
    source: GUE_SOURCE,
    caveat: GUE_NO_TRAIN.has(task)
      ? 'The published models were trained on the official GUE train split, which the shared copy does not include: use the numbers only as a rough guide.'
      : null,
  };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The texts a dataset is recognised by: its name, its source paths and the paths it was imported from. */
/** What a dataset is recognised by (a DatasetSummary fits). */
export interface DatasetIdentity {
  readonly name: string;
  readonly sources: readonly { readonly path: string }[];
  readonly options?: { readonly paths: readonly string[] };
}

function identities(dataset: DatasetIdentity): string[] {
  return [dataset.name, ...dataset.sources.map((s) => s.path), ...(dataset.options?.paths ?? [])].map((t) => t.toLowerCase());
}

/** The published results for a dataset, recognised by its name or the paths it came from; null when none apply. */
export function publishedFor(dataset: DatasetIdentity): PublishedBenchmark | null {
  const texts = identities(dataset);
  for (const row of GB_ROWS) {
    const pattern = new RegExp(`(^|[^a-z0-9])(gb_)?${escape(row[0])}([^a-z0-9]|$)`);
    if (texts.some((t) => pattern.test(t))) return gbBenchmark(row);
  }
  for (const row of GUE_ROWS) {
    // GUE task names (tf_0, mouse_2) are short: only trust them after "gue" (gue_tf_0, GUE/tf_0).
    const pattern = new RegExp(`gue[_/\\\\-]${escape(row[0])}([^a-z0-9]|$)`);
    if (texts.some((t) => pattern.test(t))) return gueBenchmark(row);
  }
  return null;
}
