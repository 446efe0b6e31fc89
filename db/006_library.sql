-- The library: who wrote a work and where it came from, its cover, and per chapter whether the
-- reader has read it and whether an update brought it in (or changed it) since.
ALTER TABLE works ADD COLUMN cover BLOB;
ALTER TABLE works ADD COLUMN cover_type TEXT;
ALTER TABLE chapters ADD COLUMN is_new INTEGER NOT NULL DEFAULT 0;  -- added/changed by an update
ALTER TABLE chapters ADD COLUMN read_at TEXT;          -- when the reader finished it
CREATE INDEX chapters_source ON chapters(work_id, source);  -- file, EPUB item or chapter URL
