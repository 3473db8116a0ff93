-- Tags group experiments across the sidebar; names are unique regardless of case.
CREATE TABLE tags (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE experiment_tags (
  experiment_id INTEGER NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
  tag_id        INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  PRIMARY KEY (experiment_id, tag_id)
) WITHOUT ROWID;

CREATE INDEX experiment_tags_tag ON experiment_tags (tag_id);
