-- An experiment owns one scenario (the preset it started from plus the user's edits) that its runs use.
ALTER TABLE experiments ADD COLUMN preset TEXT;
ALTER TABLE experiments ADD COLUMN scenario TEXT;
