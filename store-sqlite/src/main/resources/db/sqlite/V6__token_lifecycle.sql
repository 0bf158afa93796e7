-- svctoken embedded store, schema version 6: the service-token lifecycle (issue #15). Version 1 already
-- reserved expires_at, last_used_at and metadata; this adds what they lack. Existing tokens keep what
-- version 1 recorded (creation_time, creator), stay enabled, and have no expiry, last use or successor.
ALTER TABLE service_account_tokens ADD COLUMN enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1));
ALTER TABLE service_account_tokens ADD COLUMN last_used_node TEXT;        -- node name of last_used_at
ALTER TABLE service_account_tokens ADD COLUMN successor TEXT COLLATE BINARY;  -- name of the token a rotation made
