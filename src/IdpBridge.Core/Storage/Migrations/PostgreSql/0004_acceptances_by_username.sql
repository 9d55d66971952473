-- A user's history is looked up by user id or by username (an administrator often knows only the name): both indexed.
CREATE INDEX acceptances_by_username ON acceptances (realm, username, occurred_at);
