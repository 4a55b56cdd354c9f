/** Writing a report where the user chose: atomically, and with a sentence that says what to do when it cannot be done. */
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../src-shared/api';
import { writeFileAtomicSync } from '../project';
import { errorCode } from '../project/atomic-write';

const USER_FIXABLE = ['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EISDIR', 'EDQUOT', 'ENAMETOOLONG'];

/**
 * Writes the bytes to a temporary file next to the target, flushes it and renames it over the target: a failure at any
 * point leaves the old file (or none), never a half-written report.
 */
export function writeReportFile(target: string, bytes: Uint8Array): void {
  const folder = path.dirname(target);
  if (!fs.existsSync(folder)) {
    throw new ApiError('INVALID_REQUEST', `Cannot write the report to ${target}: the folder ${folder} does not exist. Choose another place.`);
  }
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) {
    throw new ApiError('INVALID_REQUEST', `Cannot write the report to ${target}: that is a folder. Give a file name.`);
  }
  try {
    writeFileAtomicSync(target, bytes);
  } catch (err) {
    const code = errorCode(err);
    if (code !== undefined && USER_FIXABLE.includes(code)) {
      throw new ApiError('INVALID_REQUEST', `Cannot write the report to ${target} (${code}). Choose a folder you can write to.`);
    }
    throw err;
  }
}

/** Reports go outside the project folder: writing into it could replace the project's own files. */
export function assertOutsideProject(target: string, projectFolder: string): void {
  const rel = path.relative(path.resolve(projectFolder), path.resolve(target));
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) {
    throw new ApiError('INVALID_REQUEST', 'Choose a place outside the project folder for the report.');
  }
}
