-- The reader's highlights (with or without a note) and bookmarks. They belong to the work and
-- the chapter's number, not to a chapter row, so a re-import can never take them away; each
-- keeps its quote with a little context to be found again when the chapter's text changes.
CREATE TABLE annotations (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,         -- stable identity across export and import
    work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    chapter INTEGER NOT NULL,          -- the chapter's number as the work numbers it
    kind TEXT NOT NULL CHECK (kind IN ('highlight', 'bookmark')),
    start INTEGER,                     -- offsets into the chapter body; NULL when detached
    end INTEGER,
    quote TEXT NOT NULL,
    prefix TEXT NOT NULL DEFAULT '',
    suffix TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    color TEXT,                        -- a highlight's colour name
    label TEXT,                        -- a bookmark's label
    created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX annotations_chapter ON annotations(work_id, chapter);

-- Quotes, notes and labels, for searching the notes pane.
CREATE VIRTUAL TABLE annotation_search USING fts5(
    text,
    tokenize = "unicode61 remove_diacritics 2"
);
