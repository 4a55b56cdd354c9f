/**
 * The CSV writer against an independent RFC 4180 parser (Python's csv module): awkward cells survive the round trip,
 * formulas are defused while negative numbers stay numbers, the BOM and delimiters work, and a failed write leaves
 * nothing behind.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../src-shared/api';
import { type CsvData, csvCell, formatCsv, writeCsvFile } from '../../../src-main/reports/csv-writer';
import { parseCsvWithPython } from './pdf-tools';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-csv-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const awkward: CsvData = {
  header: ['id', 'note', 'score', 'delta'],
  rows: [
    ['seq,1', 'a "quoted" word', 0.125, -0.5],
    ['multi\nline', 'crlf\r\ninside', 1e-7, -3.25e-5],
    ['µ-Promoter β', '', 1, 0],
    ['=HYPERLINK("http://evil","x")', '+cmd', '-2+3', '@SUM(A1)'],
    ['\tlead tab', '\rlead cr', '-12.5', '-'],
    ['+', '+A1', '-A1*2', '@'],
    ['nan', null, NaN, undefined],
  ],
};

function writeAndParse(name: string, data: CsvData, delimiter: ',' | '\t' | ';' = ',', bom = false): { bytes: Buffer; rows: string[][] } {
  const file = path.join(tmp, name);
  writeCsvFile(file, data, { delimiter, bom });
  return { bytes: fs.readFileSync(file), rows: parseCsvWithPython(file, delimiter) };
}

describe('CSV writer', () => {
  it('round-trips commas, quotes, line breaks and non-ASCII text through an RFC 4180 parser', () => {
    const { rows } = writeAndParse('awkward.csv', awkward);
    expect(rows[0]).toEqual(['id', 'note', 'score', 'delta']);
    expect(rows[1]).toEqual(['seq,1', 'a "quoted" word', '0.125', '-0.5']);
    expect(rows[2]).toEqual(['multi\nline', 'crlf\r\ninside', '1e-7', '-0.0000325']);
    expect(rows[3]).toEqual(['µ-Promoter β', '', '1', '0']);
    expect(rows).toHaveLength(awkward.rows.length + 1);
  });

  it('prefixes cells that a spreadsheet would run as formulas, but leaves negative numbers as numbers', () => {
    const { rows } = writeAndParse('formula.csv', awkward);
    expect(rows[4]).toEqual([`'=HYPERLINK("http://evil","x")`, "'+cmd", "'-2+3", "'@SUM(A1)"]);
    expect(rows[5]).toEqual(["'\tlead tab", "'\rlead cr", '-12.5', '-']);
    // A lone sign (a strand) holds no formula and stays as it is; a sign followed by anything else is guarded.
    expect(rows[6]).toEqual(['+', "'+A1", "'-A1*2", '@']);
    expect(csvCell(-0.5)).toBe('-0.5');
    expect(csvCell('-1e-5')).toBe('-1e-5');
    expect(csvCell('=1+1')).toBe("'=1+1");
    // Missing values are empty cells, not "NaN" or "null".
    expect(rows[7]).toEqual(['nan', '', '', '']);
  });

  it('keeps full double precision, so values read back equal the stored ones', () => {
    const values = [0.1 + 0.2, Math.PI, -1 / 3, 123456789.123456789, 5e-324];
    const { rows } = writeAndParse('precision.csv', { header: ['v'], rows: values.map((v) => [v]) });
    expect(rows.slice(1).map((r) => Number(r[0]))).toEqual(values);
  });

  it('ends every record with CRLF, and writes a UTF-8 BOM only when asked', () => {
    const plain = writeAndParse('plain.csv', awkward).bytes;
    expect(plain.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    const text = plain.toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.startsWith('id,note,score,delta\r\n')).toBe(true);
    const withBom = writeAndParse('bom.csv', awkward, ',', true);
    expect(withBom.bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
    // utf-8-sig strips exactly the BOM: the first header is "id", not "\ufeffid".
    expect(withBom.rows[0]?.[0]).toBe('id');
    expect(withBom.rows.slice(1)).toEqual(writeAndParse('nobom.csv', awkward).rows.slice(1));
  });

  it('uses the chosen delimiter and quotes cells that contain it', () => {
    const data: CsvData = { header: ['a', 'b'], rows: [['x;y', 'p\tq'], ['1,5', 2]] };
    const semi = writeAndParse('semi.csv', data, ';');
    expect(semi.rows).toEqual([['a', 'b'], ['x;y', 'p\tq'], ['1,5', '2']]);
    expect(semi.bytes.toString('utf8')).toContain('"x;y";p\tq');
    const tab = writeAndParse('tab.tsv', data, '\t');
    expect(tab.rows).toEqual([['a', 'b'], ['x;y', 'p\tq'], ['1,5', '2']]);
    expect(tab.bytes.toString('utf8')).toContain('x;y\t"p\tq"');
  });

  it('pads short rows to the header width', () => {
    expect(formatCsv({ header: ['a', 'b', 'c'], rows: [['1']] })).toBe('a,b,c\r\n1,,\r\n');
  });

  it('refuses a missing folder or a folder as the target with a clear error and leaves no file', () => {
    const missing = path.join(tmp, 'no-such-folder', 'out.csv');
    expect(() => writeCsvFile(missing, awkward)).toThrow(ApiError);
    expect(() => writeCsvFile(missing, awkward)).toThrow(/folder .*no-such-folder does not exist/);
    const folder = path.join(tmp, 'a-folder');
    fs.mkdirSync(folder);
    expect(() => writeCsvFile(folder, awkward)).toThrow(/that is a folder/);
    expect(fs.readdirSync(tmp).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('replaces an existing file as a whole', () => {
    const file = path.join(tmp, 'replace.csv');
    fs.writeFileSync(file, 'old contents that are longer than the new ones\r\n'.repeat(100));
    writeCsvFile(file, { header: ['x'], rows: [[1]] });
    expect(fs.readFileSync(file, 'utf8')).toBe('x\r\n1\r\n');
    expect(fs.readdirSync(tmp).filter((f) => f.startsWith('replace.csv.tmp-'))).toEqual([]);
  });
});
