-- svctoken embedded store, schema version 9: user-managed service accounts (PUT/GET/DELETE /_security/service/{ns}/{svc}).
-- Built-in accounts are data, never stored. roles is a JSON array of role names (sorted, no duplicates); creator and
-- editor are JSON objects (who wrote the account), with their times in epoch millis.
CREATE TABLE service_accounts (
    principal   TEXT    NOT NULL PRIMARY KEY COLLATE BINARY,     -- namespace/service
    roles       TEXT    NOT NULL CHECK (json_valid(roles) AND json_type(roles) = 'array'),
    enabled     INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    description TEXT,
    creator     TEXT CHECK (creator IS NULL OR (json_valid(creator) AND json_type(creator) = 'object')),
    created_at  INTEGER,
    editor      TEXT CHECK (editor IS NULL OR (json_valid(editor) AND json_type(editor) = 'object')),
    edited_at   INTEGER
) STRICT, WITHOUT ROWID;
