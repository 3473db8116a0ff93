-- User preferences that belong with the notebook rather than the machine (theme, later worker count).
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
