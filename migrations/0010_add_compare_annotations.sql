-- Annotations may also be pinned to an experiment's compare view: they belong to the experiment and
-- to no single run (run_id NULL). The table is rebuilt, as SQLite cannot relax NOT NULL in place.
CREATE TABLE annotations_new (
  id            INTEGER PRIMARY KEY,
  experiment_id INTEGER NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
  run_id        INTEGER REFERENCES runs (id) ON DELETE CASCADE,
  t_start_s     REAL    NOT NULL CHECK (t_start_s >= 0),
  t_end_s       REAL CHECK (t_end_s IS NULL OR t_end_s >= t_start_s),
  text          TEXT    NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
  created_at    TEXT    NOT NULL
);

INSERT INTO annotations_new (id, experiment_id, run_id, t_start_s, t_end_s, text, created_at)
  SELECT a.id, r.experiment_id, a.run_id, a.t_start_s, a.t_end_s, a.text, a.created_at
  FROM annotations a JOIN runs r ON r.id = a.run_id;

DROP TABLE annotations;
ALTER TABLE annotations_new RENAME TO annotations;

CREATE INDEX annotations_run ON annotations (run_id, t_start_s);
CREATE INDEX annotations_experiment ON annotations (experiment_id, t_start_s) WHERE run_id IS NULL;
