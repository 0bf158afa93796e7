package io.svctoken.core.store;

import java.util.Objects;

/** A stored application privilege: its application, its name, and its display form as JSON text. */
public record ApplicationPrivilegeRecord(String application, String name, String descriptorJson) {

    public ApplicationPrivilegeRecord {
        Objects.requireNonNull(application, "application");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(descriptorJson, "descriptorJson");
    }
}
