-- svctoken PostgreSQL store, schema version 2: native roles (PUT/GET/DELETE /_security/role/{name}).
-- The descriptor is kept in Elasticsearch's API display form, as JSON text.
CREATE TABLE roles (
    name       text COLLATE "C" NOT NULL PRIMARY KEY,
    descriptor text NOT NULL CHECK (json_typeof(descriptor::json) = 'object')
);
