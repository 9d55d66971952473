-- Re-acceptance rollouts: one per material policy version of a realm, with its cursor, counters and lease.
-- rollout_users remembers every user a rollout handled, so a resume or the closing sweep never handles one twice.
-- Times are UTC unix milliseconds.
CREATE TABLE rollouts (
    id               INTEGER PRIMARY KEY,
    realm            TEXT    NOT NULL,
    policy           TEXT    NOT NULL,
    version_number   INTEGER NOT NULL CHECK (version_number > 0),
    content_hash     TEXT    NOT NULL,
    started_at       INTEGER NOT NULL,
    started_by       TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('running', 'completed', 'cancelled')),
    phase            TEXT    NOT NULL CHECK (phase IN ('scan', 'sweep', 'done')),
    cursor_username  TEXT    NULL,
    cursor_offset    INTEGER NOT NULL DEFAULT 0,
    users_total      INTEGER NULL,
    scanned          INTEGER NOT NULL DEFAULT 0,
    marked           INTEGER NOT NULL DEFAULT 0,
    already_pending  INTEGER NOT NULL DEFAULT 0,
    already_accepted INTEGER NOT NULL DEFAULT 0,
    skipped          INTEGER NOT NULL DEFAULT 0,
    failed           INTEGER NOT NULL DEFAULT 0,
    lease_owner      TEXT    NULL,
    lease_until      INTEGER NULL,
    updated_at       INTEGER NOT NULL,
    finished_at      INTEGER NULL,
    message          TEXT    NULL,
    CONSTRAINT rollouts_version_key UNIQUE (realm, policy, version_number)
);

CREATE TABLE rollout_users (
    rollout_id INTEGER NOT NULL REFERENCES rollouts (id),
    user_id    TEXT    NOT NULL,
    outcome    TEXT    NOT NULL CHECK (outcome IN ('pending', 'marked', 'already_pending', 'already_accepted', 'skipped', 'failed')),
    username   TEXT    NULL,
    reason     TEXT    NULL,
    PRIMARY KEY (rollout_id, user_id)
) WITHOUT ROWID;
