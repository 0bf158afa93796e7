-- svctoken PostgreSQL store, schema version 6: application privileges (PUT/GET/DELETE /_security/privilege).
-- The descriptor is kept in Elasticsearch's API display form (application, name, actions, metadata), as JSON text.
CREATE TABLE application_privileges (
    application text COLLATE "C" NOT NULL,
    name        text COLLATE "C" NOT NULL,
    descriptor  text NOT NULL CHECK (json_typeof(descriptor::json) = 'object'),
    PRIMARY KEY (application, name)
);
