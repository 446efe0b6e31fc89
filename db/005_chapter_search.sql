-- Full-text search over every chapter's title and text, for searching the whole work. The
-- index reads its text from `chapters` (external content) and triggers keep it in step with
-- every insert, update and delete, however the chapters are written.
CREATE VIRTUAL TABLE chapter_search USING fts5(
    title,
    body,
    content = 'chapters',
    content_rowid = 'id',
    tokenize = "unicode61 remove_diacritics 2"
);
INSERT INTO chapter_search (chapter_search) VALUES ('rebuild');

CREATE TRIGGER chapter_search_insert AFTER INSERT ON chapters BEGIN
    INSERT INTO chapter_search (rowid, title, body) VALUES (new.id, new.title, new.body);
END;

CREATE TRIGGER chapter_search_delete AFTER DELETE ON chapters BEGIN
    INSERT INTO chapter_search (chapter_search, rowid, title, body)
    VALUES ('delete', old.id, old.title, old.body);
END;

CREATE TRIGGER chapter_search_update AFTER UPDATE OF title, body ON chapters BEGIN
    INSERT INTO chapter_search (chapter_search, rowid, title, body)
    VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO chapter_search (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
