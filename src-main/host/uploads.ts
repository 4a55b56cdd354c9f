import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { IncomingMessage } from 'node:http';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A safe file name: the user's base name without path parts or control characters, never empty. */
export function safeFileName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/')).replace(/[\x00-\x1f<>:"|?*]/g, '_').trim();
  return base === '' || base === '.' || base === '..' ? 'upload' : base.slice(0, 200);
}

/**
 * Files dropped on the page in a browser reach the service through here: the browser cannot tell the service a path,
 * so the bytes are streamed into a private folder and the service reads them from there. Each upload gets its own
 * random sub-folder so the original file name (which importers show in messages) is kept.
 */
export async function receiveUpload(req: IncomingMessage, uploadDir: string, name: string): Promise<string> {
  const folder = path.join(uploadDir, randomBytes(8).toString('hex'));
  fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  const file = path.join(folder, safeFileName(name));
  try {
    await pipeline(req, fs.createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  } catch (err) {
    fs.rmSync(folder, { recursive: true, force: true });
    throw err;
  }
  return file;
}

/** Uploads are copies; the import keeps what it needs in the project. Old ones are removed at start. */
export function removeOldUploads(uploadDir: string, now = Date.now()): void {
  if (!fs.existsSync(uploadDir)) return;
  for (const entry of fs.readdirSync(uploadDir)) {
    const full = path.join(uploadDir, entry);
    try {
      if (now - fs.statSync(full).mtimeMs > DAY_MS) fs.rmSync(full, { recursive: true, force: true });
    } catch {
      // Another process may be removing it too; nothing to do.
    }
  }
}
