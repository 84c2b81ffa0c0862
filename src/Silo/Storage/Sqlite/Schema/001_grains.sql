-- Each grain's latest snapshot, and its expiry so that the keyspace can list keys without loading them.
CREATE TABLE grains (
    grain_type TEXT NOT NULL,
    grain_key BLOB NOT NULL,
    snapshot BLOB,
    snapshot_version INTEGER NOT NULL DEFAULT 0,
    expires_at INTEGER NOT NULL DEFAULT -1,
    PRIMARY KEY (grain_type, grain_key)
) WITHOUT ROWID;

-- The changes after each grain's snapshot: runs of consecutive records, each run one row. Rows are
-- only ever added at the end (seq), so a commit writes a few pages however many grains it touches;
-- which rows are whose is indexed in memory (JournalIndex), built from this table at start.
CREATE TABLE journal (
    seq INTEGER PRIMARY KEY,
    grain_type TEXT NOT NULL,
    grain_key BLOB NOT NULL,
    first_version INTEGER NOT NULL,
    records BLOB NOT NULL
);
