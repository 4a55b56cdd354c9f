/**
 * Splits byte chunks into text lines (LF or CRLF), carrying a partial line over to the next chunk. Used by the
 * line-oriented formats that are not on the hot path (BED, DNABERT TSV, format sniffing); FASTA has its own byte
 * parser because it must not build a string per sequence line.
 */
export class LineSplitter {
  /** 1-based number of the last line returned. */
  lineNo = 0;
  private carry: Buffer | null = null;

  /** The complete lines in `chunk` (and the carried-over start of the first one). */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let pos = 0;
    for (;;) {
      const nl = chunk.indexOf(10, pos);
      if (nl < 0) break;
      if (this.carry !== null) {
        lines.push(decodeLine(Buffer.concat([this.carry, chunk.subarray(pos, nl)])));
        this.carry = null;
      } else {
        lines.push(decodeLine(chunk.subarray(pos, nl)));
      }
      pos = nl + 1;
    }
    if (pos < chunk.length) {
      const rest = chunk.subarray(pos);
      this.carry = this.carry === null ? Buffer.from(rest) : Buffer.concat([this.carry, rest]);
    }
    this.lineNo += lines.length;
    return lines;
  }

  /** The last line when the data does not end with a line break. */
  end(): string[] {
    if (this.carry === null) return [];
    const last = decodeLine(this.carry);
    this.carry = null;
    this.lineNo++;
    return [last];
  }
}

function decodeLine(bytes: Buffer): string {
  const end = bytes.length > 0 && bytes[bytes.length - 1] === 13 ? bytes.length - 1 : bytes.length;
  return bytes.toString('utf8', 0, end);
}
