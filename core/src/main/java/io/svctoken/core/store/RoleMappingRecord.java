package io.svctoken.core.store;

import java.util.Objects;

/** A stored role mapping: its name and its display form (enabled, roles or role_templates, rules, metadata) as JSON text. */
public record RoleMappingRecord(String name, String mappingJson) {

    public RoleMappingRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mappingJson, "mappingJson");
    }
}
