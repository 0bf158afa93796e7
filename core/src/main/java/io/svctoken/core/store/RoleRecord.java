package io.svctoken.core.store;

import java.util.Objects;

/** A native role: its name and its descriptor in API display form, as JSON text. */
public record RoleRecord(String name, String descriptorJson) {

    public RoleRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(descriptorJson, "descriptorJson");
    }
}
