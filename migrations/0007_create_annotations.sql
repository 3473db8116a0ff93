-- Notes pinned to a run at a simulated time or time range, drawn on every chart of the run.
CREATE TABLE annotations (
  id         INTEGER PRIMARY KEY,
  run_id     INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  t_start_s  REAL    NOT NULL CHECK (t_start_s >= 0),
  t_end_s    REAL CHECK (t_end_s IS NULL OR t_end_s >= t_start_s),
  text       TEXT    NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
  created_at TEXT    NOT NULL
);

CREATE INDEX annotations_run ON annotations (run_id, t_start_s);
