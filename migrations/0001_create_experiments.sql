-- Experiments are the notebook's unit of work: a title, a hypothesis and markdown notes.
CREATE TABLE experiments (
  id         INTEGER PRIMARY KEY,
  title      TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  hypothesis TEXT    NOT NULL DEFAULT '',
  notes      TEXT    NOT NULL DEFAULT '',
  created_at TEXT    NOT NULL,
  updated_at TEXT    NOT NULL
);

CREATE INDEX experiments_updated_at ON experiments (updated_at DESC);
