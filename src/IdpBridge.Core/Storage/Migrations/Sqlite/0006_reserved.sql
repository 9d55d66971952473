-- Placeholder: number 6 belongs to a migration of another branch (the migrator refuses gaps). Merging that branch
-- replaces this file with its 0006 (which will CREATE what it needs); nothing here changes the schema.
SELECT 1;
