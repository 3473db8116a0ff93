-- Search covers the hypothesis and the tags too. The index keeps its own copy of the text (tags are
-- not a column of experiments), kept in step by triggers on experiments and their tags.
DROP TRIGGER experiments_fts_insert;
DROP TRIGGER experiments_fts_delete;
DROP TRIGGER experiments_fts_update;
DROP TABLE experiments_fts;

CREATE VIRTUAL TABLE experiments_fts USING fts5 (
  title,
  hypothesis,
  notes,
  tags,
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE VIEW experiment_tag_text AS
  SELECT et.experiment_id, group_concat(t.name, ' ') AS tags
  FROM experiment_tags et JOIN tags t ON t.id = et.tag_id
  GROUP BY et.experiment_id;

INSERT INTO experiments_fts (rowid, title, hypothesis, notes, tags)
  SELECT e.id, e.title, e.hypothesis, e.notes,
         coalesce((SELECT tags FROM experiment_tag_text WHERE experiment_id = e.id), '')
  FROM experiments e;

CREATE TRIGGER experiments_fts_insert AFTER INSERT ON experiments BEGIN
  INSERT INTO experiments_fts (rowid, title, hypothesis, notes, tags)
  VALUES (new.id, new.title, new.hypothesis, new.notes, '');
END;

CREATE TRIGGER experiments_fts_delete AFTER DELETE ON experiments BEGIN
  DELETE FROM experiments_fts WHERE rowid = old.id;
END;

CREATE TRIGGER experiments_fts_update AFTER UPDATE OF title, hypothesis, notes ON experiments BEGIN
  UPDATE experiments_fts SET title = new.title, hypothesis = new.hypothesis, notes = new.notes
  WHERE rowid = new.id;
END;

CREATE TRIGGER experiments_fts_tag_added AFTER INSERT ON experiment_tags BEGIN
  UPDATE experiments_fts
  SET tags = coalesce((SELECT tags FROM experiment_tag_text WHERE experiment_id = new.experiment_id), '')
  WHERE rowid = new.experiment_id;
END;

CREATE TRIGGER experiments_fts_tag_removed AFTER DELETE ON experiment_tags BEGIN
  UPDATE experiments_fts
  SET tags = coalesce((SELECT tags FROM experiment_tag_text WHERE experiment_id = old.experiment_id), '')
  WHERE rowid = old.experiment_id;
END;
