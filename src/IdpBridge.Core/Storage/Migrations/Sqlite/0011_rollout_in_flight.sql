-- The cap on Keycloak requests in flight a rollout's executor ran under (issue 16), written with each page's
-- checkpoint and when a run stops, so `rollout status` and the admin API show it: the cap, whether it adapts or was
-- fixed (--max-in-flight), its ceiling, how often it changed during the run, and its last change as facts (from, to,
-- a reason code, the window's latency and the calmest recent one, when). Only the last change is kept: bounded.
-- Times are UTC unix milliseconds.
ALTER TABLE rollouts ADD COLUMN in_flight_cap INTEGER NULL CHECK (in_flight_cap > 0);
ALTER TABLE rollouts ADD COLUMN in_flight_mode TEXT NULL CHECK (in_flight_mode IN ('adaptive', 'fixed'));
ALTER TABLE rollouts ADD COLUMN in_flight_ceiling INTEGER NULL CHECK (in_flight_ceiling > 0);
ALTER TABLE rollouts ADD COLUMN in_flight_changes INTEGER NOT NULL DEFAULT 0 CHECK (in_flight_changes >= 0);
ALTER TABLE rollouts ADD COLUMN cap_changed_at INTEGER NULL;
ALTER TABLE rollouts ADD COLUMN cap_changed_from INTEGER NULL;
ALTER TABLE rollouts ADD COLUMN cap_changed_to INTEGER NULL;
ALTER TABLE rollouts ADD COLUMN cap_change_reason TEXT NULL
    CHECK (cap_change_reason IN ('latency_rose', 'latency_flat', 'overloaded_429', 'unavailable_503', 'recovered'));
ALTER TABLE rollouts ADD COLUMN cap_change_latency_ms REAL NULL;
ALTER TABLE rollouts ADD COLUMN cap_change_calmest_ms REAL NULL;
