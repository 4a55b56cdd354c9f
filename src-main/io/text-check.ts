/**
 * Telling text from binary by the first kilobyte, so that choosing a PNG or a BAM by mistake gives "this is not a text
 * file" instead of a thousand "invalid character" issues.
 */

/** How much of the start of a file the check looks at. */
export const TEXT_CHECK_BYTES = 1024;

export const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** A UTF-16 byte-order mark: such files are text, but every other byte is NUL, so they get their own message. */
export function hasUtf16Bom(head: Uint8Array): boolean {
  return head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff));
}

export function hasUtf8Bom(head: Uint8Array): boolean {
  return head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
}

/**
 * True when the bytes are not plain text: any NUL byte, or more than 10 % of bytes that text does not have (control
 * characters other than tab, line feed, carriage return, form feed; and bytes >= 0x80 when they are not valid UTF-8).
 * Latin-1 headers with a few accented letters stay well under the threshold.
 */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, TEXT_CHECK_BYTES);
  if (n === 0) return false;
  let control = 0;
  let high = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i] ?? 0;
    if (b === 0) return true;
    if (b < 0x20 && b !== 9 && b !== 10 && b !== 13 && b !== 12) control++;
    else if (b === 0x7f) control++;
    else if (b >= 0x80) high++;
  }
  let suspicious = control;
  if (high > 0 && !isValidUtf8Prefix(bytes.subarray(0, n))) suspicious += high;
  return suspicious > n * 0.1;
}

/** Valid UTF-8, allowing a multi-byte character cut off at the end (the check looks at a prefix of the file). */
function isValidUtf8Prefix(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}
