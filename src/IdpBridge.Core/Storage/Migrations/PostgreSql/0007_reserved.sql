-- Placeholder: number 7 belongs to branch ledger-integrity (0007_ledger_integrity.sql, which will CREATE its triggers
-- and tables); the migrator refuses gaps, and 0008 follows it. Delete this file when merging that branch: nothing here
-- changes the schema.
SELECT 1;
