-- Runs are scenario × variant × seed (× sweep point); a batch groups the runs started together.
CREATE TABLE batches (
  id            INTEGER PRIMARY KEY,
  experiment_id INTEGER NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
  spec          TEXT    NOT NULL, -- JSON: variants, seeds, sweep
  created_at    TEXT    NOT NULL
);

CREATE TABLE runs (
  id                INTEGER PRIMARY KEY,
  experiment_id     INTEGER NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
  batch_id          INTEGER REFERENCES batches (id) ON DELETE SET NULL,
  variant           TEXT    NOT NULL,
  seed              INTEGER NOT NULL,
  sweep_point       TEXT    NOT NULL DEFAULT '{}', -- JSON: knob path → value for sweep runs
  scenario          TEXT    NOT NULL, -- JSON, fully resolved
  simulator_version TEXT    NOT NULL,
  config_hash       TEXT    NOT NULL, -- sha256 of scenario + variant + seed + simulator version
  status            TEXT    NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
  error             TEXT,
  queued_at         TEXT    NOT NULL,
  started_at        TEXT,
  finished_at       TEXT,
  wall_ms           INTEGER,
  metrics           TEXT, -- JSON: the key metrics shown in run tables
  result            TEXT, -- JSON: vmstat, psi, derived, histograms, warnings, threads
  notes             TEXT    NOT NULL DEFAULT ''
);

CREATE INDEX runs_experiment ON runs (experiment_id, id);
CREATE INDEX runs_batch ON runs (batch_id);
CREATE INDEX runs_unfinished ON runs (status) WHERE status IN ('queued', 'running');

-- Sampled time series of one run: a compact binary encoding (see src/main/store/series-codec.ts).
CREATE TABLE run_series (
  run_id  INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
  samples INTEGER NOT NULL,
  data    BLOB    NOT NULL
);
