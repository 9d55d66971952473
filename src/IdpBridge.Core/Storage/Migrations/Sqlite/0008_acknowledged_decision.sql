-- A third decision, 'acknowledged': a notice version (a change the policy promises only to tell) was shown and the
-- user went on. SQLite cannot change a CHECK in place, and a rebuild would have to repeat every column, index and
-- trigger the ledger has by now; widening a CHECK changes no stored byte, so the table's text in sqlite_schema is
-- edited instead (SQLite's documented way to drop or loosen a constraint: https://sqlite.org/lang_altertable.html).
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'CHECK (decision IN (''accepted'', ''declined''))', 'CHECK (decision IN (''accepted'', ''declined'', ''acknowledged''))')
 WHERE type = 'table' AND name = 'acceptances';
-- This connection reads its schema again; the table made and dropped below moves the schema cookie, so that every other
-- connection does too.
PRAGMA writable_schema = RESET;
CREATE TABLE migration_0008_schema_changed (unused INTEGER);
DROP TABLE migration_0008_schema_changed;

-- Fails the migration (and rolls it back) unless the CHECK was found and widened.
CREATE TEMP TABLE migration_0008_check (widened INTEGER NOT NULL CHECK (widened = 1));
INSERT INTO migration_0008_check
SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'acceptances' AND instr(sql, '''acknowledged''') > 0;
DROP TABLE migration_0008_check;
