-- The prune is bound to the retention (issue 13). idpbridge_prune_ledger deleted whatever cut-off its caller gave, so
-- the service's restricted role, or anyone it lent EXECUTE to, could erase yesterday's acceptances. The retention now
-- lives in the database: ledger_retention holds the days the migration connection was configured with
-- (IdpBridge:Ledger:RetentionDays, written after each migration: LedgerRetentionFloor), readable but not writable by
-- the service's role (PostgresServiceRoleGrants), and the prune refuses a cut-off that would reach a record younger.
-- 0, the default, is retention off: no prune at all.
CREATE TABLE ledger_retention (
    singleton      integer     PRIMARY KEY CHECK (singleton = 1),
    retention_days integer     NOT NULL CHECK (retention_days >= 0),
    set_at         timestamptz NOT NULL
);
INSERT INTO ledger_retention (singleton, retention_days, set_at) VALUES (1, 0, now());
CREATE TRIGGER ledger_retention_kept BEFORE DELETE ON ledger_retention
    FOR EACH ROW EXECUTE FUNCTION idpbridge_refuse_change();
CREATE TRIGGER ledger_retention_no_truncate BEFORE TRUNCATE ON ledger_retention
    FOR EACH STATEMENT EXECUTE FUNCTION idpbridge_refuse_change();

-- As in 0007, plus the floor: the cut-off must be at least the retention before the database's own clock (not the
-- caller's p_now), less a minute for the skew between the service's host and the database's. Days are 24 hours, as
-- the service counts them (an interval of days would follow the session's time zone across a DST change).
CREATE OR REPLACE FUNCTION idpbridge_prune_ledger(p_realm text, p_before timestamptz, p_now timestamptz) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    days       integer;
    floor_at   timestamptz;
    first_kept bigint;
    through    bigint;
    deleted    bigint;
    anchor     text;
BEGIN
    SELECT retention_days INTO days FROM ledger_retention WHERE singleton = 1;
    IF coalesce(days, 0) = 0 THEN
        RAISE EXCEPTION 'retention is off in this database (IdpBridge:Ledger:RetentionDays was 0 at the last migration through the owner connection): no record may be pruned'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    floor_at := now() - make_interval(hours => 24 * days) + interval '1 minute';
    IF p_before > floor_at THEN
        RAISE EXCEPTION 'a prune keeps every record younger than the retention of % days the owner set: cut-off % is after %', days, p_before, floor_at
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM pg_advisory_xact_lock(19527, hashtext(p_realm));
    SELECT min(id) INTO first_kept FROM acceptances WHERE realm = p_realm AND occurred_at >= p_before;
    SELECT max(id), count(*) INTO through, deleted FROM acceptances
        WHERE realm = p_realm AND (first_kept IS NULL OR id < first_kept);
    IF deleted = 0 THEN
        RETURN 0;
    END IF;
    SELECT a.chain_hash INTO anchor FROM acceptances a
        WHERE a.realm = p_realm AND a.id <= through AND a.chain_hash IS NOT NULL ORDER BY a.id DESC LIMIT 1;
    INSERT INTO ledger_prunes (realm, pruned_before, pruned_at, row_count, through_id, chain_hash)
        VALUES (p_realm, p_before, p_now, deleted, through, anchor);
    PERFORM set_config('idpbridge.prune_realm', p_realm, true);
    PERFORM set_config('idpbridge.prune_through_id', through::text, true);
    DELETE FROM acceptances WHERE realm = p_realm AND id <= through;
    PERFORM set_config('idpbridge.prune_through_id', '', true);
    RETURN deleted;
END;
$$;

-- CREATE OR REPLACE resets the function's settings: pin its search_path again (see 0007). Its owner and grants stay.
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION idpbridge_prune_ledger(text, timestamptz, timestamptz) SET search_path = %I, pg_temp', current_schema());
END;
$$;
REVOKE ALL ON FUNCTION idpbridge_prune_ledger(text, timestamptz, timestamptz) FROM PUBLIC;
