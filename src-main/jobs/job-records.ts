import type { JobDto, JobKind, JobProgress, JobState, JobStatus } from '../../src-shared/api';
import type { ProjectStore } from '../project';

export type JobEventType = 'state' | 'progress' | 'log' | 'error';

/**
 * Where job records live: the open project (so the history travels with the project file) or memory (the CLI's
 * self-test, which needs no project).
 */
export interface JobRecords {
  insert(job: Omit<JobDto, 'id'>): number;
  update(job: JobDto, event?: { type: JobEventType; payload: unknown }): void;
  list(): JobDto[];
}

export class MemoryJobRecords implements JobRecords {
  private readonly jobs = new Map<number, JobDto>();
  private nextId = 1;

  insert(job: Omit<JobDto, 'id'>): number {
    const id = this.nextId++;
    this.jobs.set(id, { ...job, id });
    return id;
  }

  update(job: JobDto): void {
    this.jobs.set(job.id, job);
  }

  list(): JobDto[] {
    return [...this.jobs.values()];
  }
}

interface JobRow {
  id: number;
  kind: string;
  title: string;
  state: string;
  status: string | null;
  params_json: string;
  progress_json: string;
  result_json: string | null;
  error_json: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

const EMPTY_PROGRESS: JobProgress = { fraction: 0, step: 0, total: 0, etaSeconds: null, message: '', metrics: {} };

export class ProjectJobRecords implements JobRecords {
  constructor(private readonly store: ProjectStore) {}

  insert(job: Omit<JobDto, 'id'>): number {
    return this.store.write((db) => {
      db.run(
        `INSERT INTO jobs (kind, title, state, status, params_json, progress_json, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [job.kind, job.title, job.state, job.status, JSON.stringify(job.params), JSON.stringify(job.progress), job.createdAt],
      );
      const id = Number(db.exec('SELECT last_insert_rowid()')[0]?.values[0]?.[0]);
      db.run(`INSERT INTO job_events (job_id, at, type, payload_json) VALUES (?, ?, 'state', ?)`, [
        id,
        job.createdAt,
        JSON.stringify({ state: job.state }),
      ]);
      return id;
    });
  }

  update(job: JobDto, event?: { type: JobEventType; payload: unknown }): void {
    this.store.write((db) => {
      db.run(
        `UPDATE jobs SET state = ?, status = ?, progress_json = ?, result_json = ?, error_json = ?,
           started_at = ?, finished_at = ? WHERE id = ?`,
        [
          job.state,
          job.status,
          JSON.stringify(job.progress),
          job.result === null || job.result === undefined ? null : JSON.stringify(job.result),
          job.error === null ? null : JSON.stringify(job.error),
          job.startedAt,
          job.finishedAt,
          job.id,
        ],
      );
      if (event) {
        db.run(`INSERT INTO job_events (job_id, at, type, payload_json) VALUES (?, ?, ?, ?)`, [
          job.id,
          new Date().toISOString(),
          event.type,
          JSON.stringify(event.payload),
        ]);
      }
    });
  }

  list(): JobDto[] {
    return this.store.read((db) => {
      const stmt = db.prepare('SELECT * FROM jobs ORDER BY id');
      const jobs: JobDto[] = [];
      try {
        while (stmt.step()) {
          const row = stmt.getAsObject() as unknown as JobRow;
          jobs.push({
            id: row.id,
            kind: row.kind as JobKind,
            title: row.title,
            state: row.state as JobState,
            status: row.status as JobStatus | null,
            params: parseJson(row.params_json, {}),
            progress: { ...EMPTY_PROGRESS, ...parseJson(row.progress_json, {}) },
            result: parseJson(row.result_json, null),
            error: parseJson(row.error_json, null),
            createdAt: row.created_at,
            startedAt: row.started_at,
            finishedAt: row.finished_at,
            workerPid: null,
          });
        }
      } finally {
        stmt.free();
      }
      return jobs;
    });
  }
}
