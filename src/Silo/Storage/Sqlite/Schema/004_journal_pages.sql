-- A commit's runs of records, for all its grains, in one journal row (a page, read by JournalPage)
-- instead of a row per grain, as in PostgreSQL's journal: one insert and one delete per commit
-- instead of one of each per grain. Each existing row becomes a page of one run, built in
-- hexadecimal (the header's numbers big-endian, as JournalPage writes them): SQLite's || makes
-- text of blobs.
CREATE TABLE journal_pages (
    seq INTEGER PRIMARY KEY,
    runs BLOB NOT NULL
);

INSERT INTO journal_pages (seq, runs)
    SELECT seq, unhex(printf('%04X', length(CAST(grain_type AS BLOB))) || hex(grain_type)
        || printf('%08X', length(grain_key)) || hex(grain_key)
        || printf('%016X', first_version)
        || printf('%08X', length(records)) || hex(records))
    FROM journal;

DROP TABLE journal;
ALTER TABLE journal_pages RENAME TO journal;
