-- The glossary: the reader's descriptions of entities, the sides they mark friendly/hostile/
-- neutral, their own order of siblings in the order of battle, and a full-text index of names.
CREATE TABLE entity_notes (
    work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    name TEXT NOT NULL,                -- canonical entity name (moved along on rename/merge)
    text TEXT NOT NULL,
    updated TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (work_id, name)
);

CREATE TABLE side_affiliations (
    work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    side TEXT NOT NULL,                -- canonical name of a nation
    affiliation TEXT NOT NULL CHECK (affiliation IN ('friend', 'hostile', 'neutral')),
    PRIMARY KEY (work_id, side)
);

CREATE TABLE entity_order (
    work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    name TEXT NOT NULL,                -- canonical entity name
    position INTEGER NOT NULL,         -- the reader's place for it among its siblings
    PRIMARY KEY (work_id, name)
);

-- Names and aliases of the entities, for the glossary filter (prefix and word match).
CREATE VIRTUAL TABLE entity_search USING fts5(
    names,
    tokenize = "unicode61 remove_diacritics 2"
);
