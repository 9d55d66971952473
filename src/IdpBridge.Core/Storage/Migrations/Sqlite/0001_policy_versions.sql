-- Policy versions and their texts. Times are UTC unix milliseconds (INTEGER): exact, sortable, no parsing.
-- Versions are immutable: the triggers refuse any UPDATE or DELETE, whoever sends it.
CREATE TABLE policy_versions (
    id           INTEGER PRIMARY KEY,
    realm        TEXT    NOT NULL,
    policy       TEXT    NOT NULL,
    number       INTEGER NOT NULL CHECK (number > 0),
    kind         TEXT    NOT NULL CHECK (kind IN ('material', 'minor')),
    published_at INTEGER NOT NULL,
    effective_at INTEGER NOT NULL,
    content_hash TEXT    NOT NULL,
    CONSTRAINT policy_versions_number_key UNIQUE (realm, policy, number),
    CONSTRAINT policy_versions_effective_after_published CHECK (effective_at >= published_at)
);

CREATE TABLE policy_texts (
    version_id INTEGER NOT NULL REFERENCES policy_versions (id),
    position   INTEGER NOT NULL,
    locale     TEXT    NOT NULL,
    title      TEXT    NOT NULL,
    summary    TEXT    NULL,
    markdown   TEXT    NOT NULL,
    sha256     TEXT    NOT NULL,
    PRIMARY KEY (version_id, position),
    CONSTRAINT policy_texts_locale_key UNIQUE (version_id, locale)
);

CREATE TRIGGER policy_versions_immutable_update BEFORE UPDATE ON policy_versions
BEGIN SELECT RAISE(ABORT, 'policy versions are immutable'); END;
CREATE TRIGGER policy_versions_immutable_delete BEFORE DELETE ON policy_versions
BEGIN SELECT RAISE(ABORT, 'policy versions are immutable'); END;
CREATE TRIGGER policy_texts_immutable_update BEFORE UPDATE ON policy_texts
BEGIN SELECT RAISE(ABORT, 'policy versions are immutable'); END;
CREATE TRIGGER policy_texts_immutable_delete BEFORE DELETE ON policy_texts
BEGIN SELECT RAISE(ABORT, 'policy versions are immutable'); END;
