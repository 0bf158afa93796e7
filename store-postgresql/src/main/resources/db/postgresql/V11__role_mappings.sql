-- svctoken PostgreSQL store, schema version 11: role mappings (PUT/GET/DELETE /_security/role_mapping/{name}).
-- The mapping is kept in Elasticsearch's API display form (enabled, roles or role_templates, rules, metadata), as JSON text.
CREATE TABLE role_mappings (
    name    text COLLATE "C" NOT NULL PRIMARY KEY,
    mapping text NOT NULL CHECK (json_typeof(mapping::json) = 'object')
);
