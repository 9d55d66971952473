-- Two more reasons the cap on requests in flight changes (issue 16), from the throughput rule: 'throughput_rose' (twice
-- the requests in flight brought at least 5% more answers a second than the level below: double again) and
-- 'throughput_flat' (less than 5% more, they only queued: back to the level below, held there a while). Their facts
-- are the answers a second at the level the cap left and at the level it was doubled from, that it was compared with
-- (cap_change_latency_ms holds the level's mean latency; cap_change_calmest_ms stays null). The CHECK
-- is replaced in place; the existing rows are checked against it, none is rewritten.
ALTER TABLE rollouts
    DROP CONSTRAINT rollouts_cap_change_reason_check,
    ADD CONSTRAINT rollouts_cap_change_reason_check CHECK (cap_change_reason IN (
        'latency_rose', 'latency_flat', 'overloaded_429', 'unavailable_503', 'recovered', 'throughput_rose', 'throughput_flat')),
    ADD COLUMN cap_change_answers_per_s       double precision NULL,
    ADD COLUMN cap_change_below_answers_per_s double precision NULL;
