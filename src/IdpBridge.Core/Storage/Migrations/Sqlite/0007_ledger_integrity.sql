-- The acceptance record and published versions cannot be rewritten, and their integrity can be proved (issue 13).
--
-- 1. No key is ever replaced. INSERT OR REPLACE deletes the old row without firing DELETE triggers (SQLite's
--    recursive_triggers is off), so each insert-only table refuses, before the insert, a key it holds already.
--    IdpBridge's own inserts never send an existing key (it reads them first, under the write lock).
CREATE TRIGGER acceptances_refuse_existing_key BEFORE INSERT ON acceptances
WHEN EXISTS (SELECT 1 FROM acceptances WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM acceptances WHERE realm = NEW.realm AND event_key = NEW.event_key)
BEGIN SELECT RAISE(ABORT, 'acceptances are append-only (this key is recorded already)'); END;
CREATE TRIGGER policy_versions_refuse_existing_key BEFORE INSERT ON policy_versions
WHEN EXISTS (SELECT 1 FROM policy_versions WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM policy_versions WHERE realm = NEW.realm AND policy = NEW.policy AND number = NEW.number)
BEGIN SELECT RAISE(ABORT, 'policy versions are immutable (this version exists already)'); END;
CREATE TRIGGER policy_texts_refuse_existing_key BEFORE INSERT ON policy_texts
WHEN EXISTS (SELECT 1 FROM policy_texts WHERE version_id = NEW.version_id AND (position = NEW.position OR locale = NEW.locale))
BEGIN SELECT RAISE(ABORT, 'policy versions are immutable (this text exists already)'); END;
CREATE TRIGGER ledger_prunes_refuse_existing_key BEFORE INSERT ON ledger_prunes
WHEN EXISTS (SELECT 1 FROM ledger_prunes WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'ledger prunes are immutable'); END;

-- 2. Only the retention prune deletes, and only the rows it chose. A recorded prune no longer unlocks DELETE (any
--    INSERT INTO ledger_prunes did): the guard asks idpbridge_prune_allows(realm, id), a function that only
--    IdpBridge's prune registers on its own connection, for the rows of the prune it is running. Any other
--    connection (the sqlite3 shell, another tool) has no such function, and its DELETE fails.
DROP TRIGGER acceptances_guarded_delete;
CREATE TRIGGER acceptances_guarded_delete BEFORE DELETE ON acceptances
WHEN idpbridge_prune_allows(OLD.realm, OLD.id) IS NOT 1
BEGIN SELECT RAISE(ABORT, 'acceptances are append-only (only the retention prune deletes, and only the rows it covers)'); END;

-- 3. The hash chain (LedgerChain): each record's SHA-256 over its canonical fields (record_hash) and the realm's
--    chain over it (chain_hash = SHA-256 of the previous record's chain_hash and this record_hash), in id order.
--    Records written before this migration have neither: ledger_chain_start says up to which id they go.
ALTER TABLE acceptances ADD COLUMN record_hash TEXT NULL;
ALTER TABLE acceptances ADD COLUMN chain_hash TEXT NULL;

-- A prune deletes the oldest records of a realm in id order (never one after a record it keeps), and keeps the
-- chain hash of the last one it deleted (through_id): the anchor the first remaining record chains from.
ALTER TABLE ledger_prunes ADD COLUMN through_id INTEGER NULL;
ALTER TABLE ledger_prunes ADD COLUMN chain_hash TEXT NULL;

CREATE TABLE ledger_chain_start (
    singleton         INTEGER PRIMARY KEY CHECK (singleton = 1),
    legacy_through_id INTEGER NOT NULL
);
INSERT INTO ledger_chain_start (singleton, legacy_through_id) SELECT 1, coalesce(max(id), 0) FROM acceptances;
CREATE TRIGGER ledger_chain_start_immutable_update BEFORE UPDATE ON ledger_chain_start
BEGIN SELECT RAISE(ABORT, 'the chain start is immutable'); END;
CREATE TRIGGER ledger_chain_start_immutable_delete BEFORE DELETE ON ledger_chain_start
BEGIN SELECT RAISE(ABORT, 'the chain start is immutable'); END;
CREATE TRIGGER ledger_chain_start_refuse_insert BEFORE INSERT ON ledger_chain_start
WHEN EXISTS (SELECT 1 FROM ledger_chain_start)
BEGIN SELECT RAISE(ABORT, 'the chain start is immutable'); END;
