/**
 * The pieces every PDF report shares: the page frame (app version, date, page numbers), headings, tables, charts,
 * the model lineage and the licences. Pure functions from data to pdfmake content, so the report builders can be tested
 * without a project.
 */
import type { Content, TDocumentDefinitions, TableCell } from 'pdfmake/interfaces';
import type { DataLicence } from '../../src-shared/api';

/** What every report states about where and when it was made. */
export interface ReportMeta {
  readonly appName: string;
  readonly appVersion: string;
  readonly createdAt: Date;
  /** resources/licences.json: the data bundled with the app. */
  readonly dataLicences: readonly DataLicence[];
}

/** A model's ancestry: the run that trained it on which dataset, or the imported weights it came from. */
export interface LineageModel {
  readonly id: number;
  readonly name: string;
  readonly architecture: string;
  readonly role: string;
  readonly parameters: number;
  readonly classes: readonly string[];
  /** Imported weights carry the licence the user confirmed on import; trained models have none of their own. */
  readonly licence: string;
  readonly run: { readonly id: number; readonly name: string; readonly seed: number } | null;
  readonly dataset: LineageDataset | null;
  /** A BERT fine-tuned from another model of the project. */
  readonly startedFrom: LineageModel | null;
}

export interface LineageDataset {
  readonly id: number;
  readonly name: string;
  readonly contentHash: string;
  readonly records: number;
  readonly licence: string;
}

export const PAGE_WIDTH = 515; // A4 less 40 pt margins

/** Tables up to this many rows are kept on one page; longer ones break, repeating their header row. */
const KEEP_TOGETHER_ROWS = 15;

/** Four decimals: what the app shows and what a reader compares against a paper's table. */
export function fmt(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toFixed(digits);
}

/** Identifiers from users' files can be long and have no spaces to wrap at; a table cell shows the start (the CSV has all). */
export function clip(text: string, max = 40): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function fmtInt(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : Math.round(value).toLocaleString('en');
}

export function fmtDate(iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return Number.isNaN(d.getTime()) ? String(iso) : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function heading(text: string): Content {
  return { text, style: 'h2', margin: [0, 14, 0, 6] };
}

function isLongTable(c: Content): boolean {
  return typeof c === 'object' && c !== null && 'table' in c && c.table.body.length > KEEP_TOGETHER_ROWS + 1;
}

/**
 * A heading kept on the same page as the block it introduces (a heading alone at the foot of a page reads badly);
 * a long table may break, so it only follows its heading.
 */
export function section(title: string, first: Content, ...rest: Content[]): Content[] {
  if (isLongTable(first)) return [heading(title), first, ...rest];
  return [{ stack: [heading(title), first], unbreakable: true }, ...rest];
}

/** A small label and its block, kept together. */
export function labelled(label: string, block: Content): Content {
  return { stack: [{ text: label, bold: true, margin: [0, 4, 0, 2] }, block], unbreakable: true };
}

export function paragraph(text: string): Content {
  return { text, margin: [0, 0, 0, 6] };
}

/** Label/value pairs, two columns; long values (hashes) keep the width they need. */
export function keyValueTable(rows: readonly (readonly [string, string])[]): Content {
  return {
    table: { widths: [150, '*'], dontBreakRows: true, body: rows.map(([k, v]) => [{ text: k, bold: true }, { text: v }]) },
    layout: 'lightHorizontalLines',
    margin: [0, 0, 0, 6],
  };
}

/** A data table with a header row; numbers right-aligned. */
export function dataTable(header: readonly string[], rows: readonly (readonly (string | number)[])[], options: { fontSize?: number } = {}): Content {
  const cell = (v: string | number): TableCell => (typeof v === 'number' ? { text: fmt(v), alignment: 'right' } : { text: v });
  const table: Content = {
    table: {
      headerRows: 1,
      dontBreakRows: true,
      widths: header.map(() => 'auto'),
      body: [header.map((h): TableCell => ({ text: h, bold: true })), ...rows.map((r) => r.map(cell))],
    },
    layout: 'lightHorizontalLines',
    fontSize: options.fontSize ?? 9,
    margin: [0, 0, 0, 6],
  };
  return rows.length <= KEEP_TOGETHER_ROWS ? { stack: [table], unbreakable: true } : table;
}

export function chart(svg: string, width: number): Content {
  return { svg, width, margin: [0, 4, 0, 8] };
}

function lineageModelLine(m: LineageModel): string {
  return `Model ${m.id} "${m.name}" (${m.architecture}, ${m.role}, ${fmtInt(m.parameters)} parameters; classes ${m.classes.join(', ') || '—'})`;
}

/** Lines from the model back to its data, one step a line. */
export function lineageLines(model: LineageModel | null, depth = 0): string[] {
  if (!model) return ['The model of this record is no longer in the project.'];
  const indent = '    '.repeat(depth);
  const out = [`${indent}${lineageModelLine(model)}`];
  if (model.run) out.push(`${indent}  trained by run ${model.run.id} "${model.run.name}" (seed ${model.run.seed})`);
  if (model.dataset) {
    out.push(`${indent}  on dataset ${model.dataset.id} "${model.dataset.name}" (${fmtInt(model.dataset.records)} records)`);
    out.push(`${indent}  dataset SHA-256 ${model.dataset.contentHash}`);
  } else if (model.run) {
    out.push(`${indent}  the run's dataset is no longer in the project`);
  }
  if (!model.run) out.push(`${indent}  imported weights; licence: ${model.licence || 'not stated'}`);
  if (model.startedFrom) {
    out.push(`${indent}  fine-tuned from:`);
    out.push(...lineageLines(model.startedFrom, depth + 1));
  }
  return out;
}

/** Every imported model in the lineage, with the licence its weights came under. */
export function weightLicences(model: LineageModel | null): { name: string; licence: string }[] {
  const out: { name: string; licence: string }[] = [];
  for (let m = model; m; m = m.startedFrom) {
    if (!m.run || m.licence !== '') out.push({ name: `model ${m.id} "${m.name}"`, licence: m.licence || 'not stated' });
  }
  return out;
}

export function lineageSection(model: LineageModel | null): Content[] {
  return section('Model lineage', { text: lineageLines(model).join('\n'), fontSize: 8.5, margin: [0, 0, 0, 6], preserveLeadingSpaces: true });
}

/** The licences and attribution a reader must keep with the results: imported weights, datasets, bundled data. */
export function licenceSection(meta: ReportMeta, models: readonly (LineageModel | null)[], datasets: readonly (LineageDataset | null)[] = []): Content[] {
  const out: Content[] = [];
  const weights = models.flatMap(weightLicences);
  if (weights.length > 0) {
    out.push({ text: 'Imported model weights', bold: true, margin: [0, 2, 0, 2] });
    out.push({ ul: weights.map((w) => `${w.name}: ${w.licence}`), margin: [0, 0, 0, 6] });
  }
  const allDatasets = [...datasets, ...models.flatMap((m) => lineageDatasets(m))].filter((d): d is LineageDataset => d !== null);
  const seen = new Set<number>();
  const withLicence = allDatasets.filter((d) => d.licence !== '' && !seen.has(d.id) && seen.add(d.id));
  if (withLicence.length > 0) {
    out.push({ text: 'Datasets', bold: true, margin: [0, 2, 0, 2] });
    out.push({ ul: withLicence.map((d) => `dataset ${d.id} "${d.name}": ${d.licence}`), margin: [0, 0, 0, 6] });
  }
  out.push({ text: `Data bundled with ${meta.appName}`, bold: true, margin: [0, 2, 0, 2] });
  out.push({
    ul: meta.dataLicences.map((l) => ({
      text: [{ text: `${l.name}. `, bold: true }, `Licence: ${l.licence}. Source: ${l.source}. Attribution: ${l.attribution}`],
    })),
    fontSize: 8,
  });
  const [first, ...rest] = out;
  return first === undefined ? [] : section('Licences and attribution', first, ...rest);
}

function lineageDatasets(m: LineageModel | null): (LineageDataset | null)[] {
  const out: (LineageDataset | null)[] = [];
  for (let x = m; x; x = x.startedFrom) out.push(x.dataset);
  return out;
}

/** The page frame: title block, footer with app version, date and page numbers, fonts and styles. */
export function reportDocument(title: string, subtitle: string, meta: ReportMeta, content: Content[]): TDocumentDefinitions {
  const stamp = `${meta.appName} ${meta.appVersion} · ${fmtDate(meta.createdAt)}`;
  return {
    info: { title, creator: `${meta.appName} ${meta.appVersion}`, producer: `${meta.appName} ${meta.appVersion}`, creationDate: meta.createdAt },
    pageSize: 'A4',
    pageMargins: [40, 40, 40, 48],
    defaultStyle: { font: 'Roboto', fontSize: 9.5, lineHeight: 1.15 },
    styles: {
      h1: { fontSize: 17, bold: true, margin: [0, 0, 0, 2] },
      h2: { fontSize: 12.5, bold: true, color: '#1d3d6b' },
      subtitle: { fontSize: 9.5, color: '#555' },
    },
    footer: (page: number, pages: number): Content => ({
      columns: [
        { text: stamp, fontSize: 7.5, color: '#777' },
        { text: `page ${page} of ${pages}`, alignment: 'right', fontSize: 7.5, color: '#777' },
      ],
      margin: [40, 16, 40, 0],
    }),
    content: [
      { text: title, style: 'h1' },
      { text: subtitle, style: 'subtitle' },
      { text: `Written by ${meta.appName} ${meta.appVersion} on ${fmtDate(meta.createdAt)}.`, style: 'subtitle', margin: [0, 0, 0, 8] },
      ...content,
    ],
  };
}
