-- Each grain's latest snapshot, and its expiry so that the keyspace can list keys without loading them.
CREATE TABLE grains (
    grain_type text NOT NULL,
    grain_key bytea NOT NULL,
    snapshot bytea,
    snapshot_version bigint NOT NULL DEFAULT 0,
    expires_at bigint NOT NULL DEFAULT -1,
    PRIMARY KEY (grain_type, grain_key)
);

-- The changes after each grain's snapshot: runs of consecutive records, each run one row.
CREATE TABLE journal (
    grain_type text NOT NULL,
    grain_key bytea NOT NULL,
    first_version bigint NOT NULL,
    records bytea NOT NULL,
    PRIMARY KEY (grain_type, grain_key, first_version)
);
