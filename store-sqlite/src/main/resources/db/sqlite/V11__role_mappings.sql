-- svctoken embedded store, schema version 11: role mappings (PUT/GET/DELETE /_security/role_mapping/{name}).
-- The mapping is kept in Elasticsearch's API display form (enabled, roles or role_templates, rules, metadata), as JSON text.
CREATE TABLE role_mappings (
    name    TEXT NOT NULL PRIMARY KEY COLLATE BINARY,
    mapping TEXT NOT NULL CHECK (json_valid(mapping) AND json_type(mapping) = 'object')
) STRICT, WITHOUT ROWID;
