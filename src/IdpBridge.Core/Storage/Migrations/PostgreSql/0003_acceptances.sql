-- The acceptance ledger: who accepted or declined which policy version, when, from which client and address, and how
-- IdpBridge learned it. Times are timestamptz rounded to the millisecond.
-- Append-only: the triggers refuse any UPDATE, and any DELETE that no recorded retention prune covers.
CREATE TABLE acceptances (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    realm             text           NOT NULL,
    event_key         text           NOT NULL,
    user_id           text           NOT NULL,
    username          text           NULL,
    policy            text           NOT NULL,
    version_number    integer        NULL CHECK (version_number > 0),
    content_hash      text           NULL,
    decision          text           NOT NULL CHECK (decision IN ('accepted', 'declined')),
    occurred_at       timestamptz(3) NOT NULL,
    client_id         text           NULL,
    ip_address        text           NULL,
    source            text           NOT NULL CHECK (source IN ('event', 'registration', 'timestamp')),
    keycloak_event_id text           NULL,
    recorded_at       timestamptz(3) NOT NULL,
    CONSTRAINT acceptances_event_key UNIQUE (realm, event_key)
);

-- Two indexes only, for the reads that run often (export and history by time, reconciliation by user): every
-- index costs each append, and the per-version reports, run on demand, can afford a scan.
CREATE INDEX acceptances_by_time ON acceptances (realm, occurred_at, id);
CREATE INDEX acceptances_by_user ON acceptances (realm, user_id, occurred_at);

-- How far each realm's Keycloak events have been read (the newest event time seen). The one mutable table.
CREATE TABLE ledger_watermarks (
    realm          text           PRIMARY KEY,
    events_through timestamptz(3) NOT NULL,
    updated_at     timestamptz(3) NOT NULL
);

-- Every retention prune, kept forever: it is the only thing that lets a DELETE of acceptances through.
CREATE TABLE ledger_prunes (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    realm         text           NOT NULL,
    pruned_before timestamptz(3) NOT NULL,
    pruned_at     timestamptz(3) NOT NULL,
    row_count     bigint         NOT NULL CHECK (row_count >= 0)
);

CREATE FUNCTION idpbridge_acceptances_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND EXISTS (
        SELECT 1 FROM ledger_prunes p WHERE p.realm = OLD.realm AND OLD.occurred_at < p.pruned_before) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'acceptances are append-only (a DELETE needs a retention prune that covers the row)'
        USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER acceptances_append_only BEFORE UPDATE OR DELETE ON acceptances
    FOR EACH ROW EXECUTE FUNCTION idpbridge_acceptances_guard();
CREATE TRIGGER ledger_prunes_immutable BEFORE UPDATE OR DELETE ON ledger_prunes
    FOR EACH ROW EXECUTE FUNCTION idpbridge_refuse_change();
