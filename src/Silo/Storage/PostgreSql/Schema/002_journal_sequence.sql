-- Journal rows keyed by a sequence instead of by (grain, first version), as in the SQLite store: a
-- commit's rows go at the right edge of the key's index instead of into each grain's place in an
-- index of (type, key, version), whose descents and comparisons were most of PostgreSQL's work
-- per commit. Which rows are whose is indexed in memory (JournalIndex), built from this table at
-- start. Existing rows keep their order within each grain.
CREATE TABLE journal_by_sequence (
    seq bigint PRIMARY KEY,
    grain_type text NOT NULL,
    grain_key bytea NOT NULL,
    first_version bigint NOT NULL,
    records bytea NOT NULL
);

INSERT INTO journal_by_sequence (seq, grain_type, grain_key, first_version, records)
    SELECT row_number() OVER (ORDER BY grain_type, grain_key, first_version), grain_type, grain_key, first_version, records FROM journal;

DROP TABLE journal;
ALTER TABLE journal_by_sequence RENAME TO journal;

-- Where each grain's current life starts in the journal: rows before it belong to an earlier life
-- of the key (deleted, then made again) and are dead, left for later commits to delete. Until now
-- a deletion deleted its rows at once, so every existing row belongs to its grain's current life.
ALTER TABLE grains ADD COLUMN journal_from bigint NOT NULL DEFAULT 0;
