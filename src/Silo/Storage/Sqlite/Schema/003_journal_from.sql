-- Where each grain's current life starts in the journal: rows before it belong to an earlier life
-- of the key (deleted, then made again) and are dead, left for later commits to delete
-- (JournalIndex). Until now a deletion deleted its rows at once, so every existing row belongs to
-- its grain's current life.
ALTER TABLE grains ADD COLUMN journal_from INTEGER NOT NULL DEFAULT 0;
