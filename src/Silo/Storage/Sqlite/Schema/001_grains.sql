-- Each grain's latest snapshot, and its expiry so that the keyspace can list keys without loading them.
CREATE TABLE grains (
    grain_type TEXT NOT NULL,
    grain_key BLOB NOT NULL,
    snapshot BLOB,
    snapshot_version INTEGER NOT NULL DEFAULT 0,
    expires_at INTEGER NOT NULL DEFAULT -1,
    PRIMARY KEY (grain_type, grain_key)
) WITHOUT ROWID;

-- The changes after each grain's snapshot: runs of consecutive records, each run one row.
CREATE TABLE journal (
    grain_type TEXT NOT NULL,
    grain_key BLOB NOT NULL,
    first_version INTEGER NOT NULL,
    records BLOB NOT NULL,
    PRIMARY KEY (grain_type, grain_key, first_version)
) WITHOUT ROWID;
