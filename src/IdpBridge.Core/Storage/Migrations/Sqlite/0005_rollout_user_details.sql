-- What a rollout learned about each user beyond the outcome, so that refused users can be fixed and retried, lost
-- writes put back, and a user exempted:
--   errors      Keycloak's field errors for a user it refused (400), as JSON: [{"field","errorMessage","params"}]
--   remarked    how many times the closing sweep found the action gone from a user recorded as carrying it and put it back
--   updated_at  when the row last changed after its first outcome (a retry, an exemption, a re-mark), unix ms
-- The outcome 'exempted' is new, so the table is rebuilt (SQLite cannot change a CHECK constraint in place).
CREATE TABLE rollout_users_v5 (
    rollout_id INTEGER NOT NULL REFERENCES rollouts (id),
    user_id    TEXT    NOT NULL,
    outcome    TEXT    NOT NULL CHECK (outcome IN ('pending', 'marked', 'already_pending', 'already_accepted', 'skipped', 'failed', 'exempted')),
    username   TEXT    NULL,
    reason     TEXT    NULL,
    errors     TEXT    NULL,
    remarked   INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NULL,
    PRIMARY KEY (rollout_id, user_id)
) WITHOUT ROWID;

INSERT INTO rollout_users_v5 (rollout_id, user_id, outcome, username, reason)
    SELECT rollout_id, user_id, outcome, username, reason FROM rollout_users;
DROP TABLE rollout_users;
ALTER TABLE rollout_users_v5 RENAME TO rollout_users;

-- Listing a rollout's refused or exempted users, and its re-marked ones, reads only those rows.
CREATE INDEX rollout_users_by_outcome ON rollout_users (rollout_id, outcome, user_id);
CREATE INDEX rollout_users_remarked ON rollout_users (rollout_id, user_id) WHERE remarked > 0;

ALTER TABLE rollouts ADD COLUMN exempted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollouts ADD COLUMN remarked INTEGER NOT NULL DEFAULT 0;
