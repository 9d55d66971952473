-- A third kind of version, 'notice' (told once at the next login, with a single continue).
ALTER TABLE policy_versions DROP CONSTRAINT policy_versions_kind_check;
ALTER TABLE policy_versions ADD CONSTRAINT policy_versions_kind_check CHECK (kind IN ('material', 'minor', 'notice'));
