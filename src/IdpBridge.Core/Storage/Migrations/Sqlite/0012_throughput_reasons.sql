-- Two more reasons the cap on requests in flight changes (issue 16), from the throughput rule: 'throughput_rose' (twice
-- the requests in flight brought at least 5% more answers a second than the level below: double again) and
-- 'throughput_flat' (less than 5% more, they only queued: back to the level below, held there a while). Their facts
-- are the answers a second at the level the cap left and at the level it was doubled from, that it was compared with
-- (cap_change_latency_ms holds the level's mean latency; cap_change_calmest_ms stays null).
-- SQLite cannot change a CHECK constraint in place, so rollouts is rebuilt with every column it has by now (0002, 0005,
-- 0011) and the two new ones. rollout_users references rollouts and foreign keys are on (and cannot be turned off inside
-- the migration's transaction), so it is copied too, both renamed into place (a rename rewrites the reference), and
-- rollout_users' indexes (0005) made again. No other table references rollouts; neither table has a trigger.
-- Times are UTC unix milliseconds.
CREATE TABLE rollouts_v12 (
    id                             INTEGER PRIMARY KEY,
    realm                          TEXT    NOT NULL,
    policy                         TEXT    NOT NULL,
    version_number                 INTEGER NOT NULL CHECK (version_number > 0),
    content_hash                   TEXT    NOT NULL,
    started_at                     INTEGER NOT NULL,
    started_by                     TEXT    NOT NULL,
    status                         TEXT    NOT NULL CHECK (status IN ('running', 'completed', 'cancelled')),
    phase                          TEXT    NOT NULL CHECK (phase IN ('scan', 'sweep', 'done')),
    cursor_username                TEXT    NULL,
    cursor_offset                  INTEGER NOT NULL DEFAULT 0,
    users_total                    INTEGER NULL,
    scanned                        INTEGER NOT NULL DEFAULT 0,
    marked                         INTEGER NOT NULL DEFAULT 0,
    already_pending                INTEGER NOT NULL DEFAULT 0,
    already_accepted               INTEGER NOT NULL DEFAULT 0,
    skipped                        INTEGER NOT NULL DEFAULT 0,
    failed                         INTEGER NOT NULL DEFAULT 0,
    lease_owner                    TEXT    NULL,
    lease_until                    INTEGER NULL,
    updated_at                     INTEGER NOT NULL,
    finished_at                    INTEGER NULL,
    message                        TEXT    NULL,
    exempted                       INTEGER NOT NULL DEFAULT 0,
    remarked                       INTEGER NOT NULL DEFAULT 0,
    in_flight_cap                  INTEGER NULL CHECK (in_flight_cap > 0),
    in_flight_mode                 TEXT    NULL CHECK (in_flight_mode IN ('adaptive', 'fixed')),
    in_flight_ceiling              INTEGER NULL CHECK (in_flight_ceiling > 0),
    in_flight_changes              INTEGER NOT NULL DEFAULT 0 CHECK (in_flight_changes >= 0),
    cap_changed_at                 INTEGER NULL,
    cap_changed_from               INTEGER NULL,
    cap_changed_to                 INTEGER NULL,
    cap_change_reason              TEXT    NULL CHECK (cap_change_reason IN (
        'latency_rose', 'latency_flat', 'overloaded_429', 'unavailable_503', 'recovered', 'throughput_rose', 'throughput_flat')),
    cap_change_latency_ms          REAL    NULL,
    cap_change_calmest_ms          REAL    NULL,
    cap_change_answers_per_s       REAL    NULL,
    cap_change_below_answers_per_s REAL    NULL,
    CONSTRAINT rollouts_version_key UNIQUE (realm, policy, version_number)
);

CREATE TABLE rollout_users_v12 (
    rollout_id INTEGER NOT NULL REFERENCES rollouts_v12 (id),
    user_id    TEXT    NOT NULL,
    outcome    TEXT    NOT NULL CHECK (outcome IN ('pending', 'marked', 'already_pending', 'already_accepted', 'skipped', 'failed', 'exempted')),
    username   TEXT    NULL,
    reason     TEXT    NULL,
    errors     TEXT    NULL,
    remarked   INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NULL,
    PRIMARY KEY (rollout_id, user_id)
) WITHOUT ROWID;

INSERT INTO rollouts_v12 (
    id, realm, policy, version_number, content_hash, started_at, started_by, status, phase, cursor_username, cursor_offset,
    users_total, scanned, marked, already_pending, already_accepted, skipped, failed, lease_owner, lease_until, updated_at,
    finished_at, message, exempted, remarked, in_flight_cap, in_flight_mode, in_flight_ceiling, in_flight_changes,
    cap_changed_at, cap_changed_from, cap_changed_to, cap_change_reason, cap_change_latency_ms, cap_change_calmest_ms)
SELECT
    id, realm, policy, version_number, content_hash, started_at, started_by, status, phase, cursor_username, cursor_offset,
    users_total, scanned, marked, already_pending, already_accepted, skipped, failed, lease_owner, lease_until, updated_at,
    finished_at, message, exempted, remarked, in_flight_cap, in_flight_mode, in_flight_ceiling, in_flight_changes,
    cap_changed_at, cap_changed_from, cap_changed_to, cap_change_reason, cap_change_latency_ms, cap_change_calmest_ms
FROM rollouts;
INSERT INTO rollout_users_v12 (rollout_id, user_id, outcome, username, reason, errors, remarked, updated_at)
    SELECT rollout_id, user_id, outcome, username, reason, errors, remarked, updated_at FROM rollout_users;

-- The child first: DROP TABLE deletes the rows, which the reference would refuse while rollout_users still held any.
DROP TABLE rollout_users;
DROP TABLE rollouts;
ALTER TABLE rollouts_v12 RENAME TO rollouts;
ALTER TABLE rollout_users_v12 RENAME TO rollout_users;

-- Listing a rollout's refused or exempted users, and its re-marked ones, reads only those rows.
CREATE INDEX rollout_users_by_outcome ON rollout_users (rollout_id, outcome, user_id);
CREATE INDEX rollout_users_remarked ON rollout_users (rollout_id, user_id) WHERE remarked > 0;
