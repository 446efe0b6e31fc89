-- Names recognised in a work: entities, the facts stated about them, their mentions, and the
-- reader's corrections (which are the reader's own data and never rewritten by annotation).
CREATE TABLE entities (
    id INTEGER PRIMARY KEY,
    work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    name TEXT NOT NULL,                -- canonical name
    kind TEXT NOT NULL,                -- nation, unit, organization, place, person, term
    echelon TEXT,
    parent TEXT,                       -- canonical name of the parent entity
    side TEXT,                         -- canonical name of the nation it belongs to
    aliases TEXT NOT NULL DEFAULT '[]',
    first_chapter INTEGER,             -- chapter number of the first mention
    UNIQUE (work_id, name)
);

CREATE TABLE entity_facts (
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    fact TEXT NOT NULL,                -- parent, side, echelon, ...
    value TEXT,
    chapter INTEGER                    -- chapter number where the text states it
);
CREATE INDEX entity_facts_entity ON entity_facts(entity_id);

CREATE TABLE mentions (
    chapter_id INTEGER NOT NULL REFERENCES chapters(id) ON DELETE CASCADE,
    entity_id INTEGER REFERENCES entities(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL
);
CREATE INDEX mentions_chapter ON mentions(chapter_id);
CREATE INDEX mentions_entity ON mentions(entity_id);

CREATE TABLE corrections (
    id INTEGER PRIMARY KEY,
    work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    action TEXT NOT NULL,              -- rename, merge, alias, split_alias, ignore, set_*
    entity TEXT NOT NULL,
    value TEXT,
    created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX corrections_work ON corrections(work_id);
