-- The language the terms page was shown in (issue 17), as IdpBridge's bridge names it in its event (detail locale): a
-- BCP 47 tag of at most 35 characters, checked by the reader before it is stored. Null for Keycloak's own terms step,
-- registrations, timestamps, and every record written before this migration. Adding a nullable column without a
-- default rewrites no row and fires no trigger: the append-only guards stay as they are, and a record without a
-- locale keeps its record hash (LedgerChain hashes the locale only when there is one, under idpbridge-acceptance/2).
-- The service's role reads and inserts it with the table's grants.
ALTER TABLE acceptances
    ADD COLUMN locale_shown text NULL CONSTRAINT acceptances_locale_shown_check CHECK (locale_shown IS NULL OR length(locale_shown) BETWEEN 1 AND 35);
