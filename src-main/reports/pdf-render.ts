/**
 * pdfmake's Node printer with the Roboto fonts pdfmake bundles (build/vfs_fonts.js, base64): no network, no system
 * fonts, the same glyphs on every machine. Charts arrive as SVG strings (svg-charts.ts) and are drawn as vectors.
 */
import type PdfPrinter from 'pdfmake';
import type { TDocumentDefinitions, TFontDictionary } from 'pdfmake/interfaces';
import { loadChartEngine, loadPackage } from './svg-charts';

/**
 * The module is `module.exports = { 'Roboto-Regular.ttf': base64, ... }` in pdfmake 0.2.x; its typings say `{ vfs }`,
 * which older versions exported.
 */
function fontFiles(vfsModule: unknown): Record<string, string> {
  const mod = vfsModule as { vfs?: unknown } & Record<string, unknown>;
  const candidates = [mod.vfs, mod];
  for (const c of candidates) {
    if (typeof c === 'object' && c !== null && typeof (c as Record<string, unknown>)['Roboto-Regular.ttf'] === 'string') {
      return c as Record<string, string>;
    }
  }
  throw new Error('The PDF fonts (pdfmake/build/vfs_fonts.js) are missing from this installation.');
}

let printer: PdfPrinter | null = null;

/** Loads pdfmake, its fonts and ECharts (about a second, once): call before building or rendering a report. */
export function loadReportEngines(): void {
  loadChartEngine();
  if (printer) return;
  const Printer = loadPackage('pdfmake') as typeof PdfPrinter;
  const files = fontFiles(loadPackage('pdfmake/build/vfs_fonts.js'));
  const font = (name: string): Buffer => Buffer.from(files[name] ?? '', 'base64');
  const fonts: TFontDictionary = {
    Roboto: {
      normal: font('Roboto-Regular.ttf'),
      bold: font('Roboto-Medium.ttf'),
      italics: font('Roboto-Italic.ttf'),
      bolditalics: font('Roboto-MediumItalic.ttf'),
    },
  };
  printer = new Printer(fonts);
}

export interface RenderedPdf {
  readonly bytes: Buffer;
  readonly pages: number;
}

/** Lays the document out and returns the PDF's bytes and its page count. */
export async function renderPdf(doc: TDocumentDefinitions): Promise<RenderedPdf> {
  loadReportEngines();
  const ready = printer;
  if (!ready) throw new Error('The PDF printer did not load.');
  return new Promise((resolve, reject) => {
    const pdf = ready.createPdfKitDocument(doc, { bufferPages: true });
    const chunks: Buffer[] = [];
    let pages = 0;
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('error', reject);
    pdf.on('end', () => resolve({ bytes: Buffer.concat(chunks), pages }));
    const range = pdf.bufferedPageRange();
    pages = range.start + range.count;
    pdf.end();
  });
}
