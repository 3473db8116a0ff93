-- Full-text search over titles and notes, kept in step with experiments by triggers.
CREATE VIRTUAL TABLE experiments_fts USING fts5 (
  title,
  notes,
  content = 'experiments',
  content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO experiments_fts (rowid, title, notes) SELECT id, title, notes FROM experiments;

CREATE TRIGGER experiments_fts_insert AFTER INSERT ON experiments BEGIN
  INSERT INTO experiments_fts (rowid, title, notes) VALUES (new.id, new.title, new.notes);
END;

CREATE TRIGGER experiments_fts_delete AFTER DELETE ON experiments BEGIN
  INSERT INTO experiments_fts (experiments_fts, rowid, title, notes)
  VALUES ('delete', old.id, old.title, old.notes);
END;

CREATE TRIGGER experiments_fts_update AFTER UPDATE OF title, notes ON experiments BEGIN
  INSERT INTO experiments_fts (experiments_fts, rowid, title, notes)
  VALUES ('delete', old.id, old.title, old.notes);
  INSERT INTO experiments_fts (rowid, title, notes) VALUES (new.id, new.title, new.notes);
END;
