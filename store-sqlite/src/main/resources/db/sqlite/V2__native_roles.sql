-- svctoken embedded store, schema version 2: native roles (PUT/GET/DELETE /_security/role/{name}).
-- The descriptor is kept in Elasticsearch's API display form, as JSON text.
CREATE TABLE roles (
    name       TEXT NOT NULL PRIMARY KEY COLLATE BINARY,
    descriptor TEXT NOT NULL CHECK (json_valid(descriptor) AND json_type(descriptor) = 'object')
) STRICT, WITHOUT ROWID;
