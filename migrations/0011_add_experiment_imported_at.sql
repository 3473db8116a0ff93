-- When an experiment arrived from a bundle (NULL for one made here): the list and header show it, so
-- an imported copy is not mistaken for the experiment it came from.
ALTER TABLE experiments ADD COLUMN imported_at TEXT;
