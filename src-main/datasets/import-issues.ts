import path from 'node:path';
import type { ImportIssue, ImportIssueKind } from '../../src-shared/api';

/** How many issues of each kind a report lists (all are counted). */
export const ISSUES_PER_KIND = 25;

/** The first issues of each kind, the count of each kind, and the blocking errors. */
export class IssueLog {
  private readonly listed: ImportIssue[] = [];
  private readonly summaries: ImportIssue[] = [];
  private readonly shown = new Map<ImportIssueKind, number>();
  readonly counts: Partial<Record<ImportIssueKind, number>> = {};
  firstBlocking: ImportIssue | null = null;
  blockingCount = 0;

  /** Counts an issue and lists it while its kind is under the cap. Errors block the import. */
  add(issue: ImportIssue): void {
    this.counts[issue.kind] = (this.counts[issue.kind] ?? 0) + 1;
    this.example(issue);
    if (issue.severity === 'error') {
      this.blockingCount++;
      this.firstBlocking ??= issue;
    }
  }

  /** Lists an issue without counting it (when the count is defined otherwise, e.g. distinct leaking sequences). */
  example(issue: ImportIssue): void {
    const shown = this.shown.get(issue.kind) ?? 0;
    if (shown >= ISSUES_PER_KIND) return;
    this.shown.set(issue.kind, shown + 1);
    this.listed.push(issue);
  }

  /** A whole-dataset finding (line 0): listed first, never capped. */
  summary(issue: ImportIssue, count?: number): void {
    this.summaries.push(issue);
    if (count !== undefined) this.counts[issue.kind] = count;
    if (issue.severity === 'error') {
      this.blockingCount++;
      this.firstBlocking ??= issue;
    }
  }

  get blocked(): boolean {
    return this.blockingCount > 0;
  }

  get issues(): ImportIssue[] {
    return [...this.summaries, ...this.listed];
  }
}

/**
 * "<file>, line <n>, column <c>: <problem>" — the file by its name only (the user knows which folder they chose).
 * Character columns count within the sequence (readers strip line breaks), which the text says.
 */
export function formatIssue(issue: ImportIssue): string {
  if (issue.line === 0 && issue.file === '') return issue.message;
  const where = [
    path.basename(issue.file),
    ...(issue.line > 0 ? [`line ${issue.line}`] : []),
    ...(issue.column !== undefined ? [`column ${issue.column} of the sequence`] : []),
  ];
  return `${where.join(', ')}: ${issue.message}`;
}

/** The IMPORT_REJECTED message: the first blocking problem, and how many more there are. */
export function rejectionMessage(log: IssueLog): string {
  const first = log.firstBlocking;
  const more = log.blockingCount - 1;
  const text = first ? formatIssue(first) : 'The import was refused.';
  return `${text}${more > 0 ? ` (and ${more.toLocaleString('en-US')} more)` : ''}`.replace(/[\r\n]+/g, ' ');
}

/** A character as a person can read it in a message: 'X', or a name for spaces and invisible characters. */
export function showChar(ch: string): string {
  if (ch === ' ') return 'a space';
  if (ch === '\t') return 'a tab';
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0) || code === 0xfeff) {
    return `the invisible character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return `'${ch}'`;
}
