/**
 * The PDF of a prediction record, one layout per kind: predict (counts, threshold, top rows), scan (score track with
 * calls and annotation, calls table, annotation overlap), variants (effects table and chart), explain (ISM heatmap).
 * Pure: the caller reads the record and its rows; tests build a PredictionDetail by hand.
 */
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import type { ExplainResult, PredictResult, PredictionDetail, PredictionRow, ScanResult, ScanTrack, VariantResult, VariantRow } from '../../src-shared/api';
import {
  type LineageModel,
  type ReportMeta,
  PAGE_WIDTH,
  chart,
  clip,
  dataTable,
  fmt,
  fmtDate,
  fmtInt,
  keyValueTable,
  licenceSection,
  lineageSection,
  labelled,
  paragraph,
  reportDocument,
  section,
} from './report-parts';
import { ismHeatmap, signedBarChart, trackChart } from './svg-charts';

/** Rows a report shows; the full tables go to CSV. */
export const REPORT_TOP_ROWS = 30;

export interface PredictionReportInput {
  readonly meta: ReportMeta;
  readonly prediction: PredictionDetail;
  readonly model: LineageModel | null;
  /** predict: the highest-scoring rows (at most REPORT_TOP_ROWS). */
  readonly topRows?: readonly PredictionRow[];
  /** scan: the whole region's track, pooled to a few thousand points. */
  readonly track?: ScanTrack | null;
  /** variants: the rows with the largest |delta| (at most REPORT_TOP_ROWS), and how many there are in all. */
  readonly variants?: { readonly rows: readonly VariantRow[]; readonly total: number };
}

const KIND_TITLES: Readonly<Record<PredictionDetail['kind'], string>> = {
  predict: 'Predictions',
  scan: 'Scan',
  variants: 'Variant effects',
  explain: 'Explanation (in-silico mutagenesis)',
};

function recordSection(p: PredictionDetail): Content[] {
  return section(
    'Record',
    keyValueTable([
      ['Input', p.inputDescription],
      ['Input hash (SHA-256)', p.inputHash],
      ['Model', `${p.modelId} "${p.modelName}" (classes ${p.classes.join(', ')})`],
      ['Scored', `${fmtInt(p.count)} ${p.kind === 'scan' ? 'windows' : p.kind === 'variants' ? 'variants' : p.kind === 'explain' ? 'mutations' : 'sequences'}`],
      ['Engine', `${p.engine === 'onnx' ? 'ONNX Runtime' : 'TensorFlow.js'}${p.backend ? ` (${p.backend})` : ''}`],
      ['Time', `${fmt(p.seconds, 2)} s`],
      ['Created', fmtDate(p.createdAt)],
    ]),
  );
}

function predictSection(r: PredictResult, p: PredictionDetail, topRows: readonly PredictionRow[]): Content[] {
  const total = Object.values(r.counts).reduce((a, b) => a + b, 0);
  const out: Content[] = section(
    'Summary',
    keyValueTable([
      ['Threshold', `${r.threshold}${p.classes.length === 2 ? ` (P(${p.classes[1] ?? 'positive'}) at or above is called ${p.classes[1] ?? 'positive'})` : ''}`],
      ...(r.agreement
        ? ([
            ['Accuracy against labels', fmt(r.agreement.accuracy)],
            ['MCC against labels', fmt(r.agreement.mcc)],
          ] as [string, string][])
        : []),
    ]),
    dataTable(
      ['predicted class', 'sequences', 'share'],
      Object.entries(r.counts).map(([cls, n]) => [cls, fmtInt(n), total > 0 ? `${((100 * n) / total).toFixed(1)} %` : '—']),
    ),
  );
  if (topRows.length > 0) {
    const hasLabels = topRows.some((row) => row.label !== undefined);
    out.push(
      ...section(
        `Top ${topRows.length} by score`,
        dataTable(
          ['#', 'id', 'length', 'predicted', 'score', ...(hasLabels ? ['label'] : []), ...p.classes.map((c) => `P(${c})`)],
          topRows.map((row) => [String(row.index + 1), clip(row.id), fmtInt(row.length), row.predicted, row.score, ...(hasLabels ? [row.label ?? ''] : []), ...row.probabilities]),
          { fontSize: 8 },
        ),
      ),
    );
  }
  return out;
}

function scanSection(r: ScanResult, p: PredictionDetail, track: ScanTrack | null): Content[] {
  const s = r.settings;
  const className = p.classes[s.classIndex ?? p.classes.length - 1] ?? '';
  const out: Content[] = section(
    'Scan',
    keyValueTable([
      ['Region', `${r.chrom}:${fmtInt(r.start + 1)}-${fmtInt(r.end)} (${fmtInt(r.end - r.start)} bp)`],
      ['Window / stride', `${r.window} / ${r.stride} bp, ${s.strands === 'both' ? 'both strands' : 'forward strand'}`],
      ['Windows', `${fmtInt(r.windows)} scored, ${fmtInt(r.skipped)} skipped (mostly N)`],
      ['Track', `P(${className}) per window`],
      ['Calls', `windows at or above ${s.threshold}, merged across gaps up to ${s.mergeGap} bp, at least ${s.minLength} bp: ${fmtInt(r.calls.length)} regions`],
    ]),
  );
  if (track && track.positions.length > 0) {
    const size = { width: PAGE_WIDTH, height: 300 };
    out.push(
      chart(
        trackChart(
          {
            title: `Score along ${r.chrom}`,
            chrom: r.chrom,
            start: r.start,
            end: r.end,
            positions: track.positions,
            forward: track.forward,
            reverse: track.reverse,
            threshold: s.threshold,
            calls: r.calls.map((c) => ({ start: c.start, end: c.end, label: fmt(c.score, 3) })),
            sites: (r.annotation?.sites ?? []).map((a) => ({ start: a.start, end: a.end, label: a.name })),
          },
          size,
        ),
        size.width,
      ),
    );
  }
  if (r.annotation) {
    const a = r.annotation;
    const near = a.sites.filter((x) => x.nearCall).length;
    out.push(
      ...section(
        'Overlap with the annotation',
        keyValueTable([
        ['Annotation', a.path],
        ['Distance', `a call and a site match when at most ${fmtInt(a.maxDistance)} bp apart`],
        ['Sites in the region', fmtInt(a.sites.length)],
        ['Sites near a call (recall)', `${fmtInt(near)} of ${fmtInt(a.sites.length)}: ${fmt(a.recall)}`],
        ['Calls near a site (precision)', `${fmt(a.precision)} of ${fmtInt(r.calls.length)} calls`],
        ]),
      ),
    );
  }
  const calls = [...r.calls].sort((x, y) => y.score - x.score).slice(0, REPORT_TOP_ROWS);
  const callsTitle = r.calls.length > calls.length ? `Called regions (top ${calls.length} of ${fmtInt(r.calls.length)} by score)` : 'Called regions';
  if (calls.length === 0) out.push(...section(callsTitle, paragraph('No window reached the threshold.')));
  else {
    out.push(
      ...section(
        callsTitle,
        dataTable(
        ['chrom', 'start', 'end', 'length', 'strand', 'score', ...(r.annotation ? ['nearest site', 'distance'] : [])],
          calls.map((c) => [c.chrom, fmtInt(c.start + 1), fmtInt(c.end), fmtInt(c.end - c.start), c.strand, c.score, ...(r.annotation ? [clip(c.nearestName ?? '—', 24), c.nearestSite === null ? '—' : fmtInt(c.nearestSite)] : [])]),
          { fontSize: 8 },
        ),
      ),
    );
  }
  return out;
}

function variantLabel(v: VariantRow): string {
  return `${v.chrom}:${v.pos} ${v.ref}>${v.alt}`;
}

function variantsSection(r: VariantResult, variants: { rows: readonly VariantRow[]; total: number }): Content[] {
  const out: Content[] = section(
    'Variants',
    keyValueTable([
      ['Reference', r.settings.referencePath],
      ['Scored class', r.className],
      ['Window', `${r.window} bp centred on each variant`],
      ['Variants', fmtInt(variants.total)],
    ]),
  );
  if (variants.rows.length === 0) return [...out, paragraph('No variant was scored.')];
  out.push(
    chart(
      signedBarChart(
        { title: `Effect on P(${r.className}) (alt − ref)`, labels: variants.rows.map(variantLabel), values: variants.rows.map((v) => v.delta), yName: 'Δ probability' },
        { width: PAGE_WIDTH, height: 260 },
      ),
      PAGE_WIDTH,
    ),
  );
  out.push(
    ...section(
      variants.total > variants.rows.length ? `Largest effects (${variants.rows.length} of ${fmtInt(variants.total)})` : 'Effects',
      dataTable(
        ['id', 'variant', 'P(ref)', 'P(alt)', 'Δ (alt − ref)', 'log odds ratio'],
        variants.rows.map((v) => [clip(v.id, 24), clip(variantLabel(v), 36), v.refProbability, v.altProbability, v.delta, v.logOddsRatio]),
        { fontSize: 8 },
      ),
    ),
  );
  return out;
}

function explainSection(r: ExplainResult): Content[] {
  const out: Content[] = section(
    'Explanation',
    keyValueTable([
      ['Sequence length', `${fmtInt(r.sequence.length)} bp`],
      [`P(${r.className})`, fmt(r.probability)],
      ['Map', 'each cell: probability with that base minus the original (0 at the original base)'],
    ]),
  );
  const size = { width: PAGE_WIDTH, height: 220 };
  // A very long sequence would make each cell too thin to see; the map shows the first 300 bases, the CSV has all.
  const shown = Math.min(r.sequence.length, 300);
  out.push(chart(ismHeatmap({ title: `In-silico saturation mutagenesis, P(${r.className})`, sequence: r.sequence.slice(0, shown), ism: r.ism.slice(0, shown) }, size), size.width));
  const ranked = r.ism
    .flatMap((row, pos) => row.map((v, b) => ({ pos, base: 'ACGT'[b] ?? '?', v })))
    .filter((x) => x.v !== 0)
    .sort((a, b) => Math.abs(b.v) - Math.abs(a.v))
    .slice(0, 15);
  if (ranked.length > 0) {
    out.push(...section('Strongest single-base effects', dataTable(['position', 'from', 'to', 'Δ probability'], ranked.map((x) => [fmtInt(x.pos + 1), r.sequence[x.pos] ?? '?', x.base, x.v]), { fontSize: 8 })));
  }
  out.push(labelled('Sequence', { text: r.sequence.replace(/(.{10})/g, '$1 ').trim(), fontSize: 7.5, characterSpacing: 0.5 }));
  return out;
}

export function buildPredictionReport(input: PredictionReportInput): TDocumentDefinitions {
  const p = input.prediction;
  const r = p.result;
  const content: Content[] = [...recordSection(p)];
  if (r.kind === 'predict') content.push(...predictSection(r, p, input.topRows ?? []));
  else if (r.kind === 'scan') content.push(...scanSection(r, p, input.track ?? null));
  else if (r.kind === 'variants') content.push(...variantsSection(r, input.variants ?? { rows: [], total: 0 }));
  else content.push(...explainSection(r));
  content.push(...lineageSection(input.model), ...licenceSection(input.meta, [input.model]));
  return reportDocument(`${KIND_TITLES[p.kind]} ${p.id}: ${p.name}`, `${p.inputDescription} · model "${p.modelName}"`, input.meta, content);
}
