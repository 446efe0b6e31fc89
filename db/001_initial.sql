-- Works, chapters (with their parsed blocks), footnotes and the reading position.
CREATE TABLE works (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,          -- normalised title: how a re-import finds the work
    title TEXT NOT NULL,
    author TEXT,
    source TEXT,
    created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE chapters (
    id INTEGER PRIMARY KEY,
    work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,           -- the chapter's number as the work numbers it
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    blocks TEXT NOT NULL,              -- JSON list of [kind, start, end, when, label, text_start, text_end]
    markers TEXT NOT NULL,             -- JSON list of [label, start, end]
    warnings TEXT NOT NULL DEFAULT '[]',
    source TEXT,
    digest TEXT NOT NULL,              -- sha256 of the body, to skip unchanged re-imports
    imported TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (work_id, number)
);

CREATE TABLE footnotes (
    chapter_id INTEGER NOT NULL REFERENCES chapters(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (chapter_id, label)
);

CREATE TABLE reading_positions (
    work_id INTEGER PRIMARY KEY REFERENCES works(id) ON DELETE CASCADE,
    chapter_id INTEGER REFERENCES chapters(id) ON DELETE SET NULL,
    scroll REAL NOT NULL DEFAULT 0,    -- fraction of the chapter scrolled, 0..1
    updated TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE state (
    key TEXT PRIMARY KEY,              -- e.g. 'last_work'
    value TEXT
);
