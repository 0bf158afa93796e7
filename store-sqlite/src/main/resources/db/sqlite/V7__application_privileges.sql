-- svctoken embedded store, schema version 6: application privileges (PUT/GET/DELETE /_security/privilege).
-- The descriptor is kept in Elasticsearch's API display form (application, name, actions, metadata), as JSON text.
CREATE TABLE application_privileges (
    application TEXT NOT NULL COLLATE BINARY,
    name        TEXT NOT NULL COLLATE BINARY,
    descriptor  TEXT NOT NULL CHECK (json_valid(descriptor) AND json_type(descriptor) = 'object'),
    PRIMARY KEY (application, name)
) STRICT, WITHOUT ROWID;
