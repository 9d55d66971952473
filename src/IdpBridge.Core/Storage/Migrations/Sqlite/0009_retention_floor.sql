-- The prune is bound to the retention (issue 13): the database, not only the caller, refuses a prune that reaches a
-- record younger than the retention. ledger_retention holds the days the migration was configured with
-- (IdpBridge:Ledger:RetentionDays, written after each migration: LedgerRetentionFloor); 0, the default, is retention
-- off: no prune at all. Times are UTC unix milliseconds; now is SQLite's clock; a day is 86400000 ms, and a minute's
-- grace is the same as PostgreSQL's (see its 0009).
CREATE TABLE ledger_retention (
    singleton      INTEGER PRIMARY KEY CHECK (singleton = 1),
    retention_days INTEGER NOT NULL CHECK (retention_days >= 0),
    set_at         INTEGER NOT NULL
);
INSERT INTO ledger_retention (singleton, retention_days, set_at)
VALUES (1, 0, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
CREATE TRIGGER ledger_retention_kept BEFORE DELETE ON ledger_retention
BEGIN SELECT RAISE(ABORT, 'the retention setting is kept: change it, never delete it'); END;
CREATE TRIGGER ledger_retention_refuse_insert BEFORE INSERT ON ledger_retention
WHEN EXISTS (SELECT 1 FROM ledger_retention)
BEGIN SELECT RAISE(ABORT, 'the retention setting is kept: change it, never replace it'); END;

-- The prune records itself before it deletes: a prune with retention off, or with a cut-off after now less the
-- retention, is refused there with its reason.
CREATE TRIGGER ledger_prunes_retention_off BEFORE INSERT ON ledger_prunes
WHEN coalesce((SELECT retention_days FROM ledger_retention), 0) = 0
BEGIN SELECT RAISE(ABORT, 'retention is off in this database (IdpBridge:Ledger:RetentionDays was 0 at the last migration): no record may be pruned'); END;
CREATE TRIGGER ledger_prunes_retention_floor BEFORE INSERT ON ledger_prunes
WHEN NEW.pruned_before > CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
    - (SELECT retention_days FROM ledger_retention) * 86400000 + 60000
BEGIN SELECT RAISE(ABORT, 'a prune keeps every record younger than the retention (IdpBridge:Ledger:RetentionDays at the last migration): its cut-off is too recent'); END;

-- And each row it deletes is older than the retention, whatever the prune's function allows: a connection that
-- registers its own idpbridge_prune_allows still cannot delete a younger record.
CREATE TRIGGER acceptances_retention_floor BEFORE DELETE ON acceptances
WHEN coalesce((SELECT retention_days FROM ledger_retention), 0) = 0
  OR OLD.occurred_at > CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
    - (SELECT retention_days FROM ledger_retention) * 86400000 + 60000
BEGIN SELECT RAISE(ABORT, 'acceptances younger than the retention are never deleted (and none while retention is off)'); END;
