/**
 * The reference region and annotation tracks bundled with the app (resources/data/), named in one place for the UI, the
 * CLI and the service. The renderer cannot know where the app is installed, so it sends these paths relative to the
 * application folder (`resources/data/…`, as the Pretrain page does for the same FASTA); the service should resolve a
 * path with this prefix against the application folder (paths.ts appRoot: a checkout, or app.asar's folder) rather
 * than the working directory (`bundledRelativePath` checks it stays inside). Any other path is a file on the computer
 * running the service and is used as given.
 */

export const BUNDLED_PREFIX = 'resources/data/';

export interface BundledReference {
  /** The path to send: `resources/data/<folder>/<file>`, relative to the application folder. */
  readonly path: string;
  /** What the UI shows. */
  readonly label: string;
  readonly chrom: string;
  /** 0-based half-open extent of the sequence the file holds (a region of the chromosome). */
  readonly start: number;
  readonly end: number;
  readonly assembly: string;
}

export interface BundledAnnotation {
  readonly path: string;
  readonly label: string;
  /** One line for the form: what the sites are and where they come from. */
  readonly description: string;
  /** Sites this small file holds, for the form's label. */
  readonly sites: number;
}

const CHR2 = 'reference_hg38_chr2_1-2333275';

export const BUNDLED_REFERENCES: readonly BundledReference[] = [
  {
    path: `${BUNDLED_PREFIX}${CHR2}/chr2_1-2333275.fa.gz`,
    label: 'chr2:1-2,333,275 (hg38, bundled)',
    chrom: 'chr2',
    start: 0,
    end: 2_333_275,
    assembly: 'hg38',
  },
];

export const BUNDLED_ANNOTATIONS: readonly BundledAnnotation[] = [
  {
    path: `${BUNDLED_PREFIX}${CHR2}/tss_epdnew_hg38.bed`,
    label: 'EPDnew TSSs (hg38)',
    description: 'Experimentally validated promoter TSSs from EPDnew; one base each.',
    sites: 13,
  },
  {
    path: `${BUNDLED_PREFIX}${CHR2}/tss_gencode_cage_hek293_hg38.bed`,
    label: 'GENCODE TSSs with CAGE support in HEK293 (hg38)',
    description: 'Transcript starts from GENCODE that FANTOM5 CAGE sees used in HEK293 cells.',
    sites: 22,
  },
  {
    path: `${BUNDLED_PREFIX}${CHR2}/tss_fantom5_via_ensembl_hg38.bed`,
    label: 'FANTOM5 CAGE TSS regions (hg38)',
    description: 'CAGE-defined transcription start regions (the positives of genomic_benchmarks human_tss_ensembl).',
    sites: 333,
  },
  {
    path: `${BUNDLED_PREFIX}${CHR2}/promoters_epdnew_nontata_251bp_hg38.bed`,
    label: 'Non-TATA promoters, 251 bp (hg38)',
    description: 'The human_nontata_promoters positives in this region (-200..+50 around an EPDnew TSS).',
    sites: 9,
  },
  {
    path: `${BUNDLED_PREFIX}${CHR2}/ensembl_regulatory_build_hg38.bed`,
    label: 'Ensembl Regulatory Build regions (hg38)',
    description: 'Enhancers, promoters and open chromatin from the Ensembl Regulatory Build.',
    sites: 260,
  },
];

/**
 * For a bundled path (`resources/data/…`), its part below resources/data/; null for any other path, and for one that
 * tries to leave that folder (`..`), which the service should refuse.
 */
export function bundledRelativePath(path: string): string | null {
  if (!path.startsWith(BUNDLED_PREFIX)) return null;
  const rest = path.slice(BUNDLED_PREFIX.length);
  const parts = rest.split('/');
  if (rest === '' || rest.startsWith('/') || parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\'))) return null;
  return rest;
}

/** The label of a bundled path, or the path itself (for lists and reports). */
export function describeDataPath(path: string): string {
  // The service may hand back the bundled path resolved to an absolute one.
  const known = [...BUNDLED_REFERENCES, ...BUNDLED_ANNOTATIONS].find((b) => path === b.path || path.endsWith(`/${b.path}`));
  return known?.label ?? path;
}
