-- The cap on Keycloak requests in flight a rollout's executor ran under (issue 16), written with each page's
-- checkpoint and when a run stops, so `rollout status` and the admin API show it: the cap, whether it adapts or was
-- fixed (--max-in-flight), its ceiling, how often it changed during the run, and its last change as facts (from, to,
-- a reason code, the window's latency and the calmest recent one, when). Only the last change is kept: bounded.
ALTER TABLE rollouts
    ADD COLUMN in_flight_cap         integer          NULL CHECK (in_flight_cap > 0),
    ADD COLUMN in_flight_mode        text             NULL CHECK (in_flight_mode IN ('adaptive', 'fixed')),
    ADD COLUMN in_flight_ceiling     integer          NULL CHECK (in_flight_ceiling > 0),
    ADD COLUMN in_flight_changes     integer          NOT NULL DEFAULT 0 CHECK (in_flight_changes >= 0),
    ADD COLUMN cap_changed_at        timestamptz(3)   NULL,
    ADD COLUMN cap_changed_from      integer          NULL,
    ADD COLUMN cap_changed_to        integer          NULL,
    ADD COLUMN cap_change_reason     text             NULL
        CHECK (cap_change_reason IN ('latency_rose', 'latency_flat', 'overloaded_429', 'unavailable_503', 'recovered')),
    ADD COLUMN cap_change_latency_ms double precision NULL,
    ADD COLUMN cap_change_calmest_ms double precision NULL;
