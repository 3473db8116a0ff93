-- What a kernel run's guest printed on its serial console (the last 64 KiB), kept with finished
-- and failed runs alike: a panic's backtrace or the OOM killer's report is in it.
CREATE TABLE run_logs (
  run_id INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
  text   TEXT    NOT NULL
);
