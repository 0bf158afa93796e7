package io.svctoken.core.account;

import java.util.Objects;

/** A built-in service account: its id and the one fixed role descriptor that grants its privileges. */
public record ServiceAccount(ServiceAccountId id, RoleDescriptor roleDescriptor) {

    public ServiceAccount {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(roleDescriptor, "roleDescriptor");
    }

    public String principal() {
        return id.asPrincipal();
    }

    public String fullName() {
        return "Service account - " + id.asPrincipal();
    }
}
