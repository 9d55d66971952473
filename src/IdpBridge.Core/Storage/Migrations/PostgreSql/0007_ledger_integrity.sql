-- The acceptance record and published versions cannot be rewritten, and their integrity can be proved (issue 13).
--
-- 1. No key is ever replaced: PostgreSQL has no INSERT OR REPLACE; the unique keys refuse a second insert, and
--    INSERT ... ON CONFLICT DO UPDATE fires the UPDATE triggers, which refuse. TRUNCATE fires no row trigger, so each
--    insert-only table refuses it with a statement trigger.
CREATE TRIGGER acceptances_no_truncate BEFORE TRUNCATE ON acceptances
    FOR EACH STATEMENT EXECUTE FUNCTION idpbridge_refuse_change();
CREATE TRIGGER ledger_prunes_no_truncate BEFORE TRUNCATE ON ledger_prunes
    FOR EACH STATEMENT EXECUTE FUNCTION idpbridge_refuse_change();
CREATE TRIGGER policy_versions_no_truncate BEFORE TRUNCATE ON policy_versions
    FOR EACH STATEMENT EXECUTE FUNCTION idpbridge_refuse_change();
CREATE TRIGGER policy_texts_no_truncate BEFORE TRUNCATE ON policy_texts
    FOR EACH STATEMENT EXECUTE FUNCTION idpbridge_refuse_change();

-- 2. The hash chain (LedgerChain): each record's SHA-256 over its canonical fields (record_hash) and the realm's
--    chain over it (chain_hash = SHA-256 of the previous record's chain_hash and this record_hash), in id order.
--    Records written before this migration have neither: ledger_chain_start says up to which id they go.
ALTER TABLE acceptances
    ADD COLUMN record_hash text NULL,
    ADD COLUMN chain_hash  text NULL;

-- A prune deletes the oldest records of a realm in id order (never one after a record it keeps), and keeps the
-- chain hash of the last one it deleted (through_id): the anchor the first remaining record chains from.
ALTER TABLE ledger_prunes
    ADD COLUMN through_id bigint NULL,
    ADD COLUMN chain_hash text   NULL;

CREATE TABLE ledger_chain_start (
    singleton         integer PRIMARY KEY CHECK (singleton = 1),
    legacy_through_id bigint  NOT NULL
);
INSERT INTO ledger_chain_start (singleton, legacy_through_id) SELECT 1, coalesce(max(id), 0) FROM acceptances;
CREATE TRIGGER ledger_chain_start_immutable BEFORE UPDATE OR DELETE ON ledger_chain_start
    FOR EACH ROW EXECUTE FUNCTION idpbridge_refuse_change();
CREATE TRIGGER ledger_chain_start_no_truncate BEFORE TRUNCATE ON ledger_chain_start
    FOR EACH STATEMENT EXECUTE FUNCTION idpbridge_refuse_change();

-- 3. Only the retention prune deletes, and only the rows it chose. A recorded prune no longer unlocks DELETE (any
--    INSERT INTO ledger_prunes did): the guard lets a row go only while idpbridge_prune_ledger runs (it is on the call
--    stack) and only up to the id that prune chose. The service's restricted role has no DELETE privilege at all:
--    the prune function is its one way, run with the owner's rights (SECURITY DEFINER).
CREATE OR REPLACE FUNCTION idpbridge_acceptances_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    stack text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        GET DIAGNOSTICS stack = PG_CONTEXT;
        IF (position(E'\nPL/pgSQL function idpbridge_prune_ledger(' IN stack) > 0
            OR position(E'\nPL/pgSQL function ' || quote_ident(TG_TABLE_SCHEMA) || '.idpbridge_prune_ledger(' IN stack) > 0)
           AND OLD.realm = current_setting('idpbridge.prune_realm', true)
           AND OLD.id <= nullif(current_setting('idpbridge.prune_through_id', true), '')::bigint THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION 'acceptances are append-only (only the retention prune deletes, and only the rows it covers)'
        USING ERRCODE = 'restrict_violation';
END;
$$;

-- Deletes the longest run of the realm's oldest records (in id order) that all occurred before p_before, records the
-- prune with the last deleted record's chain hash, and returns how many went. Holds the realm's ledger lock (the one
-- appends take: class 0x4C47, hashtext(realm)) so no record is chained to one being deleted.
CREATE FUNCTION idpbridge_prune_ledger(p_realm text, p_before timestamptz, p_now timestamptz) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    first_kept bigint;
    through    bigint;
    deleted    bigint;
    anchor     text;
BEGIN
    IF p_before > now() THEN
        RAISE EXCEPTION 'a prune keeps every record younger than now: cut-off % is in the future', p_before
            USING ERRCODE = 'invalid_parameter_value';
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

-- A SECURITY DEFINER function resolves names only in its own schema (then pg_temp, last), so no caller can put a
-- table of the same name ahead of it; and only the roles the service grants it to may run it.
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION idpbridge_prune_ledger(text, timestamptz, timestamptz) SET search_path = %I, pg_temp', current_schema());
END;
$$;
REVOKE ALL ON FUNCTION idpbridge_prune_ledger(text, timestamptz, timestamptz) FROM PUBLIC;
