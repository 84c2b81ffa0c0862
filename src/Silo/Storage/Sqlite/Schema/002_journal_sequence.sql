-- Journal rows keyed by a sequence instead of by (grain, first version): rows are only ever added
-- at the end of the table, so a commit writes a few pages however many grains it touches; which
-- rows are whose is indexed in memory (JournalIndex), built from this table at start. Existing
-- rows keep their order within each grain.
CREATE TABLE journal_by_sequence (
    seq INTEGER PRIMARY KEY,
    grain_type TEXT NOT NULL,
    grain_key BLOB NOT NULL,
    first_version INTEGER NOT NULL,
    records BLOB NOT NULL
);

INSERT INTO journal_by_sequence (grain_type, grain_key, first_version, records)
    SELECT grain_type, grain_key, first_version, records FROM journal ORDER BY grain_type, grain_key, first_version;

DROP TABLE journal;
ALTER TABLE journal_by_sequence RENAME TO journal;
