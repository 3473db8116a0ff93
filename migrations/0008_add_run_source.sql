-- Observed runs are real measurements imported from a device (periodic /proc/vmstat snapshots);
-- they sit beside simulated runs but have no seed, simulator or scenario of their own.
ALTER TABLE runs ADD COLUMN source TEXT NOT NULL DEFAULT 'simulated'
  CHECK (source IN ('simulated', 'observed'));
-- A user's name for an observed run ("pixel-6 camera launch"); runs with one label are replicates.
ALTER TABLE runs ADD COLUMN label TEXT NOT NULL DEFAULT '';
