-- Policy versions and their texts. Times are timestamptz rounded to the millisecond (the store truncates first).
-- Versions are immutable: the triggers refuse any UPDATE or DELETE, whoever sends it.
CREATE TABLE policy_versions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    realm        text           NOT NULL,
    policy       text           NOT NULL,
    number       integer        NOT NULL CHECK (number > 0),
    kind         text           NOT NULL CHECK (kind IN ('material', 'minor')),
    published_at timestamptz(3) NOT NULL,
    effective_at timestamptz(3) NOT NULL,
    content_hash text           NOT NULL,
    CONSTRAINT policy_versions_number_key UNIQUE (realm, policy, number),
    CONSTRAINT policy_versions_effective_after_published CHECK (effective_at >= published_at)
);

CREATE TABLE policy_texts (
    version_id bigint  NOT NULL REFERENCES policy_versions (id),
    position   integer NOT NULL,
    locale     text    NOT NULL,
    title      text    NOT NULL,
    summary    text    NULL,
    markdown   text    NOT NULL,
    sha256     text    NOT NULL,
    PRIMARY KEY (version_id, position),
    CONSTRAINT policy_texts_locale_key UNIQUE (version_id, locale)
);

CREATE FUNCTION idpbridge_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are immutable', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER policy_versions_immutable BEFORE UPDATE OR DELETE ON policy_versions
    FOR EACH ROW EXECUTE FUNCTION idpbridge_refuse_change();
CREATE TRIGGER policy_texts_immutable BEFORE UPDATE OR DELETE ON policy_texts
    FOR EACH ROW EXECUTE FUNCTION idpbridge_refuse_change();
