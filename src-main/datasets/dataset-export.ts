import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError, type DatasetExportFormat } from '../../src-shared/api';
import { SequenceFileReader } from './sequence-store';

const FASTA_LINE = 80;

/** RFC 4180: a field with a comma, a quote or a line break is quoted, with quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** FASTA header words cannot hold spaces: they would split the id or the key=value pairs. */
function headerWord(value: string): string {
  return value.replace(/\s+/g, '_');
}

/**
 * Writes the records (of one split, or all) as CSV `sequence,label,split` (CRLF line ends, RFC 4180) or FASTA
 * (`>id label=.. split=..`, 80 bases a line), to a temporary file next to the target that is flushed and renamed
 * over it: the target is either the old file or the complete export, never half-written.
 */
export function exportRecords(file: string, format: DatasetExportFormat, target: string, split?: string): number {
  const reader = SequenceFileReader.open(file);
  const temp = `${target}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  let fd: number | undefined;
  try {
    let start = 0;
    let end = reader.count;
    if (split !== undefined) {
      const range = reader.splitRange(split);
      if (!range) {
        const known = reader.meta.splits.map((s) => s.name).join(', ');
        throw new ApiError('INVALID_REQUEST', `The dataset has no split "${split}" (it has ${known}).`);
      }
      start = range.start;
      end = range.start + range.count;
    }
    fd = fs.openSync(temp, 'wx');
    const openFd = fd;
    let chunk: string[] = [];
    let chunkChars = 0;
    const emit = (text: string): void => {
      chunk.push(text);
      chunkChars += text.length;
      if (chunkChars >= 1 << 20) flush();
    };
    const flush = (): void => {
      if (chunk.length === 0) return;
      fs.writeSync(openFd, chunk.join(''));
      chunk = [];
      chunkChars = 0;
    };
    if (format === 'csv') emit('sequence,label,split\r\n');
    let written = 0;
    for (const rec of reader.records(start, end)) {
      if (format === 'csv') {
        emit(`${rec.sequence},${csvField(rec.label)},${csvField(rec.split)}\r\n`);
      } else {
        emit(`>${headerWord(rec.id) || `record${rec.index + 1}`} label=${headerWord(rec.label)} split=${headerWord(rec.split)}\n`);
        for (let i = 0; i < rec.sequence.length; i += FASTA_LINE) emit(`${rec.sequence.slice(i, i + FASTA_LINE)}\n`);
      }
      written++;
    }
    flush();
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, target);
    return written;
  } catch (err) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    const code = (err as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOSPC' || code === 'EISDIR') {
      throw new ApiError('INVALID_REQUEST', `Cannot write the export to ${target} (${String(code)}). Choose another place.`);
    }
    throw err;
  } finally {
    reader.close();
  }
}

/** Export files go outside the project folder: writing into it could replace the project's own files. */
export function assertOutsideProject(target: string, projectFolder: string): void {
  const rel = path.relative(path.resolve(projectFolder), path.resolve(target));
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) {
    throw new ApiError('INVALID_REQUEST', 'Choose a place outside the project folder for the export.');
  }
}
