-- Re-acceptance rollouts: one per material policy version of a realm, with its cursor, counters and lease.
-- rollout_users remembers every user a rollout handled, so a resume or the closing sweep never handles one twice.
CREATE TABLE rollouts (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    realm            text           NOT NULL,
    policy           text           NOT NULL,
    version_number   integer        NOT NULL CHECK (version_number > 0),
    content_hash     text           NOT NULL,
    started_at       timestamptz(3) NOT NULL,
    started_by       text           NOT NULL,
    status           text           NOT NULL CHECK (status IN ('running', 'completed', 'cancelled')),
    phase            text           NOT NULL CHECK (phase IN ('scan', 'sweep', 'done')),
    cursor_username  text           NULL,
    cursor_offset    integer        NOT NULL DEFAULT 0,
    users_total      integer        NULL,
    scanned          integer        NOT NULL DEFAULT 0,
    marked           integer        NOT NULL DEFAULT 0,
    already_pending  integer        NOT NULL DEFAULT 0,
    already_accepted integer        NOT NULL DEFAULT 0,
    skipped          integer        NOT NULL DEFAULT 0,
    failed           integer        NOT NULL DEFAULT 0,
    lease_owner      text           NULL,
    lease_until      timestamptz(3) NULL,
    updated_at       timestamptz(3) NOT NULL,
    finished_at      timestamptz(3) NULL,
    message          text           NULL,
    CONSTRAINT rollouts_version_key UNIQUE (realm, policy, version_number)
);

CREATE TABLE rollout_users (
    rollout_id bigint NOT NULL REFERENCES rollouts (id),
    user_id    text   NOT NULL,
    outcome    text   NOT NULL CHECK (outcome IN ('pending', 'marked', 'already_pending', 'already_accepted', 'skipped', 'failed')),
    username   text   NULL,
    reason     text   NULL,
    PRIMARY KEY (rollout_id, user_id)
);
