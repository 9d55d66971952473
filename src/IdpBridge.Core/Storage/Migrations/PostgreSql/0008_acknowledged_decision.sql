-- A third decision, 'acknowledged': a notice version (a change the policy promises only to tell) was shown and the
-- user went on. The CHECK is replaced in place; the existing rows are checked against it, none is rewritten.
ALTER TABLE acceptances
    DROP CONSTRAINT acceptances_decision_check,
    ADD CONSTRAINT acceptances_decision_check CHECK (decision IN ('accepted', 'declined', 'acknowledged'));
