/**
 * The project database schema as an ordered list of migrations. A migration is never edited once released: add a new
 * one. `PRAGMA user_version` mirrors the highest applied version and `PRAGMA application_id` marks the file as ours,
 * so that a foreign SQLite file is recognised before anything is written to it.
 */
export const APPLICATION_ID = 0x444e4c4d; // 'DNLM'

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL                      -- JSON
      );
      CREATE TABLE datasets (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        description TEXT NOT NULL DEFAULT '',
        content_hash TEXT,                       -- SHA-256 of the canonical form
        source_json TEXT NOT NULL DEFAULT '{}',  -- file names, sizes, import settings
        licence TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
      );
      CREATE TABLE jobs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done')),
        status TEXT CHECK (status IN ('success', 'failure', 'cancelled')),
        params_json TEXT NOT NULL DEFAULT '{}',
        progress_json TEXT NOT NULL DEFAULT '{}',
        result_json TEXT,
        error_json TEXT,
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT
      );
      CREATE TABLE job_events (
        id INTEGER PRIMARY KEY,
        job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        type TEXT NOT NULL,                      -- state | progress | log | error
        payload_json TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX job_events_by_job ON job_events(job_id);
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,                      -- train | pretrain | compare
        name TEXT NOT NULL,
        dataset_id INTEGER REFERENCES datasets(id),
        job_id INTEGER REFERENCES jobs(id),
        config_json TEXT NOT NULL DEFAULT '{}',
        seed INTEGER,
        backend TEXT,
        status TEXT NOT NULL DEFAULT 'created',
        created_at TEXT NOT NULL,
        finished_at TEXT
      );
      CREATE TABLE run_metrics (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step INTEGER NOT NULL,
        split TEXT NOT NULL,
        name TEXT NOT NULL,
        value REAL NOT NULL
      );
      CREATE INDEX run_metrics_by_run ON run_metrics(run_id, name);
      CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,                      -- cnn | bert | ...
        run_id INTEGER REFERENCES runs(id),
        artifact_path TEXT NOT NULL,             -- relative to artifacts/
        config_json TEXT NOT NULL DEFAULT '{}',
        licence TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
      );
      CREATE TABLE predictions (
        id INTEGER PRIMARY KEY,
        model_id INTEGER NOT NULL REFERENCES models(id),
        kind TEXT NOT NULL,                      -- predict | scan | variants
        input_hash TEXT NOT NULL,
        settings_json TEXT NOT NULL DEFAULT '{}',
        artifact_path TEXT,
        created_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'dataset storage and statistics',
    // The sequences themselves live in artifacts/<artifact_path> (a .seqs file): this database is rewritten whole on
    // every save, so it keeps only what the dataset pages show (a few kilobytes per dataset).
    sql: `
      ALTER TABLE datasets ADD COLUMN artifact_path TEXT;                        -- relative to artifacts/
      ALTER TABLE datasets ADD COLUMN record_count INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE datasets ADD COLUMN classes_json TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE datasets ADD COLUMN splits_json TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE datasets ADD COLUMN counts_json TEXT NOT NULL DEFAULT '{}';    -- split -> class -> records
      ALTER TABLE datasets ADD COLUMN length_min INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE datasets ADD COLUMN length_median REAL NOT NULL DEFAULT 0;
      ALTER TABLE datasets ADD COLUMN length_max INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE datasets ADD COLUMN length_mean REAL NOT NULL DEFAULT 0;
      ALTER TABLE datasets ADD COLUMN stats_json TEXT NOT NULL DEFAULT '{}';     -- histograms, top k-mers
      ALTER TABLE datasets ADD COLUMN options_json TEXT NOT NULL DEFAULT '{}';   -- the ImportOptions used
      ALTER TABLE datasets ADD COLUMN split_description TEXT NOT NULL DEFAULT '';
      ALTER TABLE datasets ADD COLUMN stored_bytes INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 3,
    name: 'training runs, models and compare experiments',
    // A compare experiment is a runs row of kind 'compare' (its table in result_json); its arms are 'train' runs
    // whose compare_id points at it. Epoch history lives in run_metrics (step = epoch, split 'train' | 'validation').
    sql: `
      ALTER TABLE runs ADD COLUMN compare_id INTEGER REFERENCES runs(id);
      ALTER TABLE runs ADD COLUMN architecture TEXT;
      ALTER TABLE runs ADD COLUMN threads INTEGER;
      ALTER TABLE runs ADD COLUMN epochs_done INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE runs ADD COLUMN best_epoch INTEGER;
      ALTER TABLE runs ADD COLUMN test_json TEXT;                                -- EvaluationResult
      ALTER TABLE runs ADD COLUMN result_json TEXT;                              -- compare: CompareRow[]
      ALTER TABLE runs ADD COLUMN artifact_path TEXT;                            -- runs/<id>, relative to artifacts/
      ALTER TABLE runs ADD COLUMN error TEXT;
      CREATE INDEX runs_by_compare ON runs(compare_id);
      ALTER TABLE models ADD COLUMN role TEXT NOT NULL DEFAULT 'classifier';     -- classifier | pretrained
      ALTER TABLE models ADD COLUMN dataset_id INTEGER REFERENCES datasets(id);
      ALTER TABLE models ADD COLUMN classes_json TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE models ADD COLUMN parameters INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE models ADD COLUMN size_bytes INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 4,
    name: 'predictions, reports, pretraining and motif scans',
    // Prediction records keep their summary here and their rows/tracks in artifacts/predictions/<id>/. Pretraining runs
    // are runs rows of kind 'pretrain' (settings in config_json, losses in run_metrics with step = optimizer step);
    // an ablation is a runs row of kind 'ablation' whose pretraining runs and compare point at it via compare_id.
    sql: `
      ALTER TABLE predictions ADD COLUMN name TEXT NOT NULL DEFAULT '';
      ALTER TABLE predictions ADD COLUMN input_description TEXT NOT NULL DEFAULT '';
      ALTER TABLE predictions ADD COLUMN engine TEXT NOT NULL DEFAULT 'tfjs';    -- onnx | tfjs
      ALTER TABLE predictions ADD COLUMN backend TEXT NOT NULL DEFAULT '';
      ALTER TABLE predictions ADD COLUMN item_count INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE predictions ADD COLUMN seconds REAL NOT NULL DEFAULT 0;
      ALTER TABLE predictions ADD COLUMN result_json TEXT NOT NULL DEFAULT '{}';  -- PredictionResult
      ALTER TABLE predictions ADD COLUMN job_id INTEGER REFERENCES jobs(id);
      CREATE INDEX predictions_by_model ON predictions(model_id);
      CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        format TEXT NOT NULL,                    -- pdf | csv
        title TEXT NOT NULL,
        subject_json TEXT NOT NULL DEFAULT '{}',
        path TEXT NOT NULL,                      -- absolute: reports are written where the user chose
        bytes INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );
      ALTER TABLE runs ADD COLUMN steps_done INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE motif_scans (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        settings_json TEXT NOT NULL DEFAULT '{}',
        artifact_path TEXT NOT NULL,             -- the matrix TSV, relative to artifacts/
        regions INTEGER NOT NULL DEFAULT 0,
        motifs INTEGER NOT NULL DEFAULT 0,
        seconds REAL NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
