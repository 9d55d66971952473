-- A third kind of version, 'notice' (told once at the next login, with a single continue). SQLite cannot change a
-- CHECK constraint in place, so both tables are rebuilt; policy_texts references policy_versions, so it is copied
-- too, both renamed into place (a rename rewrites the reference), and the immutability triggers made again.
CREATE TABLE policy_versions_v6 (
    id           INTEGER PRIMARY KEY,
    realm        TEXT    NOT NULL,
    policy       TEXT    NOT NULL,
    number       INTEGER NOT NULL CHECK (number > 0),
    kind         TEXT    NOT NULL CHECK (kind IN ('material', 'minor', 'notice')),
    published_at INTEGER NOT NULL,
    effective_at INTEGER NOT NULL,
    content_hash TEXT    NOT NULL,
    CONSTRAINT policy_versions_number_key UNIQUE (realm, policy, number),
    CONSTRAINT policy_versions_effective_after_published CHECK (effective_at >= published_at)
);

CREATE TABLE policy_texts_v6 (
    version_id INTEGER NOT NULL REFERENCES policy_versions_v6 (id),
    position   INTEGER NOT NULL,
    locale     TEXT    NOT NULL,
    title      TEXT    NOT NULL,
    summary    TEXT    NULL,
    markdown   TEXT    NOT NULL,
    sha256     TEXT    NOT NULL,
    PRIMARY KEY (version_id, position),
    CONSTRAINT policy_texts_locale_key UNIQUE (version_id, locale)
);

INSERT INTO policy_versions_v6 (id, realm, policy, number, kind, published_at, effective_at, content_hash)
    SELECT id, realm, policy, number, kind, published_at, effective_at, content_hash FROM policy_versions;
INSERT INTO policy_texts_v6 (version_id, position, locale, title, summary, markdown, sha256)
    SELECT version_id, position, locale, title, summary, markdown, sha256 FROM policy_texts;

-- DROP TABLE deletes the rows without running triggers, and drops the table's triggers with it.
DROP TABLE policy_texts;
DROP TABLE policy_versions;
ALTER TABLE policy_versions_v6 RENAME TO policy_versions;
ALTER TABLE policy_texts_v6 RENAME TO policy_texts;

CREATE TRIGGER policy_versions_immutable_update BEFORE UPDATE ON policy_versions
BEGIN SELECT RAISE(ABORT, 'policy versions are immutable'); END;
CREATE TRIGGER policy_versions_immutable_delete BEFORE DELETE ON policy_versions
BEGIN SELECT RAISE(ABORT, 'policy versions are immutable'); END;
CREATE TRIGGER policy_texts_immutable_update BEFORE UPDATE ON policy_texts
BEGIN SELECT RAISE(ABORT, 'policy versions are immutable'); END;
CREATE TRIGGER policy_texts_immutable_delete BEFORE DELETE ON policy_texts
BEGIN SELECT RAISE(ABORT, 'policy versions are immutable'); END;
