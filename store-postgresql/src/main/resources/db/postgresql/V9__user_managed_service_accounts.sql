-- svctoken PostgreSQL store, schema version 9: user-managed service accounts, as db/sqlite's V9.
CREATE TABLE service_accounts (
    principal   text    COLLATE "C" NOT NULL PRIMARY KEY,        -- namespace/service
    roles       text    NOT NULL CHECK (json_typeof(roles::json) = 'array'),
    enabled     boolean NOT NULL,
    description text,
    creator     text CHECK (creator IS NULL OR json_typeof(creator::json) = 'object'),
    created_at  bigint,
    editor      text CHECK (editor IS NULL OR json_typeof(editor::json) = 'object'),
    edited_at   bigint
);
