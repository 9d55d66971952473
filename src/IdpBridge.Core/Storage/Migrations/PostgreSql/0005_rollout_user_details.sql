-- What a rollout learned about each user beyond the outcome, so that refused users can be fixed and retried, lost
-- writes put back, and a user exempted:
--   errors      Keycloak's field errors for a user it refused (400), as JSON: [{"field","errorMessage","params"}]
--   remarked    how many times the closing sweep found the action gone from a user recorded as carrying it and put it back
--   updated_at  when the row last changed after its first outcome (a retry, an exemption, a re-mark)
ALTER TABLE rollout_users DROP CONSTRAINT rollout_users_outcome_check;
ALTER TABLE rollout_users ADD CONSTRAINT rollout_users_outcome_check
    CHECK (outcome IN ('pending', 'marked', 'already_pending', 'already_accepted', 'skipped', 'failed', 'exempted'));
ALTER TABLE rollout_users
    ADD COLUMN errors     text           NULL,
    ADD COLUMN remarked   integer        NOT NULL DEFAULT 0,
    ADD COLUMN updated_at timestamptz(3) NULL;

-- Listing a rollout's refused or exempted users, and its re-marked ones, reads only those rows.
CREATE INDEX rollout_users_by_outcome ON rollout_users (rollout_id, outcome, user_id);
CREATE INDEX rollout_users_remarked ON rollout_users (rollout_id, user_id) WHERE remarked > 0;

ALTER TABLE rollouts
    ADD COLUMN exempted integer NOT NULL DEFAULT 0,
    ADD COLUMN remarked integer NOT NULL DEFAULT 0;
