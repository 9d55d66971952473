-- The acceptance ledger: who accepted or declined which policy version, when, from which client and address, and how
-- IdpBridge learned it. Times are UTC unix milliseconds.
-- Append-only: the triggers refuse any UPDATE, and any DELETE that no recorded retention prune covers.
CREATE TABLE acceptances (
    id                INTEGER PRIMARY KEY,
    realm             TEXT    NOT NULL,
    event_key         TEXT    NOT NULL,
    user_id           TEXT    NOT NULL,
    username          TEXT    NULL,
    policy            TEXT    NOT NULL,
    version_number    INTEGER NULL CHECK (version_number > 0),
    content_hash      TEXT    NULL,
    decision          TEXT    NOT NULL CHECK (decision IN ('accepted', 'declined')),
    occurred_at       INTEGER NOT NULL,
    client_id         TEXT    NULL,
    ip_address        TEXT    NULL,
    source            TEXT    NOT NULL CHECK (source IN ('event', 'registration', 'timestamp')),
    keycloak_event_id TEXT    NULL,
    recorded_at       INTEGER NOT NULL,
    CONSTRAINT acceptances_event_key UNIQUE (realm, event_key)
);

-- Two indexes only, for the reads that run often (export and history by time, reconciliation by user): every
-- index costs each append, and the per-version reports, run on demand, can afford a scan.
CREATE INDEX acceptances_by_time ON acceptances (realm, occurred_at, id);
CREATE INDEX acceptances_by_user ON acceptances (realm, user_id, occurred_at);

-- How far each realm's Keycloak events have been read (the newest event time seen). The one mutable table.
CREATE TABLE ledger_watermarks (
    realm          TEXT    PRIMARY KEY,
    events_through INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
) WITHOUT ROWID;

-- Every retention prune, kept forever: it is the only thing that lets a DELETE of acceptances through.
CREATE TABLE ledger_prunes (
    id            INTEGER PRIMARY KEY,
    realm         TEXT    NOT NULL,
    pruned_before INTEGER NOT NULL,
    pruned_at     INTEGER NOT NULL,
    row_count     INTEGER NOT NULL CHECK (row_count >= 0)
);

CREATE TRIGGER acceptances_immutable_update BEFORE UPDATE ON acceptances
BEGIN SELECT RAISE(ABORT, 'acceptances are append-only'); END;
CREATE TRIGGER acceptances_guarded_delete BEFORE DELETE ON acceptances
WHEN NOT EXISTS (SELECT 1 FROM ledger_prunes p WHERE p.realm = OLD.realm AND OLD.occurred_at < p.pruned_before)
BEGIN SELECT RAISE(ABORT, 'acceptances are append-only (a DELETE needs a retention prune that covers the row)'); END;
CREATE TRIGGER ledger_prunes_immutable_update BEFORE UPDATE ON ledger_prunes
BEGIN SELECT RAISE(ABORT, 'ledger prunes are immutable'); END;
CREATE TRIGGER ledger_prunes_immutable_delete BEFORE DELETE ON ledger_prunes
BEGIN SELECT RAISE(ABORT, 'ledger prunes are immutable'); END;
