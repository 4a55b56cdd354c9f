import type { JobDto } from '../../src-shared/api/dto';

/** "1 dataset", "3 datasets". */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

/** A local date and time for an ISO timestamp, or the text itself when it does not parse. */
export function formatDateTime(iso: string | null): string {
  if (iso === null) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** "about 2 min left" style text for an ETA in seconds; empty when unknown. */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 60) return `about ${Math.max(1, Math.round(seconds))} s left`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `about ${hours} h left` : `about ${hours} h ${rest} min left`;
}

/** "850 ms", "12.3 s", "4 min 05 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(Math.round(s % 60)).padStart(2, '0')} s`;
}

/** A number for a results table: tiny values in exponent form, others with a few decimals. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && Math.abs(value) < 1e-3) return value.toExponential(2);
  return value.toLocaleString(undefined, { maximumFractionDigits: Math.abs(value) >= 100 ? 1 : 3 });
}

/** Integer percent 0..100 of a job's progress; a successful job is 100. */
export function jobPercent(job: JobDto): number {
  if (job.state === 'done' && job.status === 'success') return 100;
  const fraction = Number.isFinite(job.progress.fraction) ? job.progress.fraction : 0;
  return Math.min(100, Math.max(0, Math.round(fraction * 100)));
}

/** What to show in a job's status badge, and the colour class. */
export function jobBadge(job: JobDto): { label: string; tone: 'neutral' | 'info' | 'success' | 'danger' | 'warning' } {
  if (job.state === 'queued') return { label: 'Queued', tone: 'neutral' };
  if (job.state === 'running') return { label: 'Running', tone: 'info' };
  switch (job.status) {
    case 'success':
      return { label: 'Succeeded', tone: 'success' };
    case 'failure':
      return { label: 'Failed', tone: 'danger' };
    case 'cancelled':
      return { label: 'Cancelled', tone: 'warning' };
    default:
      return { label: 'Finished', tone: 'neutral' };
  }
}

/** A metric key such as msPerMatmul as words: "ms per matmul". */
export function metricLabel(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
  return words.replace(/\bgflops\b/, 'GFLOPS');
}

/** "512 B", "4.2 KB", "1.3 MB" (decimal units, as file managers show them). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

/** A whole number with thousands separators: 12,345. */
export function formatCount(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString() : String(n);
}

/** A fraction 0..1 as "42.5%"; empty for null. */
export function formatPercent(fraction: number | null, digits = 1): string {
  if (fraction === null || !Number.isFinite(fraction)) return '';
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** The first characters of a content hash, enough to tell datasets apart. */
export function shortHash(hash: string, length = 12): string {
  return hash.slice(0, length);
}

/** The last part of a path, whichever separator it uses. */
export function baseName(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  const index = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  return index < 0 ? trimmed : trimmed.slice(index + 1);
}
