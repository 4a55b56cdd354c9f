/**
 * Motif collections by path: the bundled JASPAR 2024 set by default, any JASPAR/MEME/TRANSFAC file otherwise. Parsed
 * files are kept for the process (keyed by size and modification time), since the motif page asks for one motif at a
 * time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApiError, type MotifCollection } from '../../src-shared/api';
import { readMotifFile } from '../io/motif-reader';
import type { MotifFileContents, MotifMatrix } from '../io/motif-types';
import { ImportError } from '../io/types';
import { resourcesDir } from '../paths';
import { infoOf } from './pwm';
import { resolveDataPath } from '../paths';

export const BUNDLED_MOTIFS_DIR = path.join(resourcesDir, 'data', 'jaspar2024_core_vertebrates_nr');
export const BUNDLED_MOTIFS_FILE = path.join(BUNDLED_MOTIFS_DIR, 'JASPAR2024_CORE_vertebrates_non-redundant_pfms_jaspar.txt');
export const BUNDLED_MOTIFS_LICENCE =
  'JASPAR 2024 CORE vertebrates, non-redundant (879 matrices), CC BY 4.0: Rauluseviciute et al., JASPAR 2024, Nucleic Acids Research, doi:10.1093/nar/gkad1059';

const cache = new Map<string, { readonly key: string; readonly contents: MotifFileContents }>();

/** The parsed file; bad files raise INVALID_FILE with the file, line and problem. */
export function loadMotifFile(file: string = BUNDLED_MOTIFS_FILE): MotifFileContents {
  const abs = resolveDataPath(file);
  let key = '';
  try {
    const st = fs.statSync(abs);
    key = `${st.size}:${st.mtimeMs}`;
  } catch {
    // readMotifFile words the error
  }
  const hit = cache.get(abs);
  if (hit !== undefined && key !== '' && hit.key === key) return hit.contents;
  try {
    const contents = readMotifFile(abs);
    cache.set(abs, { key, contents });
    return contents;
  } catch (err) {
    if (err instanceof ImportError) {
      throw new ApiError('IMPORT_REJECTED', `${err.message.replace(/[\r\n]+/g, ' ')}. Choose a JASPAR, MEME or TRANSFAC motif file.`, {
        file: err.file,
        line: err.line,
      });
    }
    throw err;
  }
}

export function isBundled(file: string): boolean {
  return path.resolve(file) === path.resolve(BUNDLED_MOTIFS_FILE);
}

export function collectionOf(contents: MotifFileContents): MotifCollection {
  const bundled = isBundled(contents.path);
  return {
    path: contents.path,
    format: contents.format,
    bundled,
    licence: bundled ? BUNDLED_MOTIFS_LICENCE : '',
    motifs: contents.motifs.map(infoOf),
  };
}

export function findMotif(contents: MotifFileContents, id: string): MotifMatrix {
  const motif = contents.motifs.find((m) => m.id === id);
  if (motif === undefined) throw new ApiError('INVALID_REQUEST', `There is no motif ${id} in ${path.basename(contents.path)}.`);
  return motif;
}
