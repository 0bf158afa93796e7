-- svctoken PostgreSQL store, schema version 6: the service-token lifecycle (issue #15), as db/sqlite's V6.
-- Existing tokens keep what version 1 recorded (creation_time, creator), stay enabled, and have no
-- expiry, last use or successor.
ALTER TABLE service_account_tokens ADD COLUMN enabled boolean NOT NULL DEFAULT TRUE;
ALTER TABLE service_account_tokens ADD COLUMN last_used_node text;          -- node name of last_used_at
ALTER TABLE service_account_tokens ADD COLUMN successor text COLLATE "C";   -- name of the token a rotation made
