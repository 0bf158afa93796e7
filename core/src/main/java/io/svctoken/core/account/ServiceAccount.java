package io.svctoken.core.account;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.svctoken.core.EsMessages;

import java.util.List;
import java.util.Objects;

/**
 * A service account: a built-in one, whose one fixed role descriptor grants its privileges, or a user-managed one
 * (Elasticsearch 9.6), whose privileges are those of its roles, resolved by name on every request. A user-managed
 * account's descriptor is empty, so that it grants nothing where its roles are not resolved.
 *
 * @param roles the role names of a user-managed account (sorted); none for a built-in one
 */
public record ServiceAccount(ServiceAccountId id, RoleDescriptor roleDescriptor, List<String> roles, boolean userManaged) {

    public ServiceAccount {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(roleDescriptor, "roleDescriptor");
        roles = List.copyOf(roles);
    }

    /** A built-in account. */
    public ServiceAccount(ServiceAccountId id, RoleDescriptor roleDescriptor) {
        this(id, roleDescriptor, List.of(), false);
    }

    /** A user-managed account as authentication sees it: who, and its roles by name. */
    public static ServiceAccount userManaged(ServiceAccountId id, List<String> roles) {
        return new ServiceAccount(id, new RoleDescriptor(id.asPrincipal(), JsonNodeFactory.instance.objectNode()), roles, true);
    }

    public String principal() {
        return id.asPrincipal();
    }

    public String fullName() {
        return userManaged ? EsMessages.umFullName(id.asPrincipal()) : "Service account - " + id.asPrincipal();
    }

    /** The key of the metadata marker {@code _authenticate} shows (value {@code true}). */
    public String metadataMarker() {
        return userManaged ? "_user_managed_service_account" : "_elastic_service_account";
    }
}
