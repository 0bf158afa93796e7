package io.svctoken.core.account;

import io.svctoken.core.EsMessages;

import java.util.Objects;

/** A service account principal, {@code namespace/service}. */
public record ServiceAccountId(String namespace, String serviceName) implements Comparable<ServiceAccountId> {

    public ServiceAccountId {
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException(EsMessages.ACCOUNT_NAMESPACE_EMPTY);
        }
        if (serviceName == null || serviceName.isBlank()) {
            throw new IllegalArgumentException(EsMessages.ACCOUNT_SERVICE_EMPTY);
        }
    }

    /** Parses {@code namespace/service}, splitting at the first {@code /} like Elasticsearch. */
    public static ServiceAccountId fromPrincipal(String principal) {
        Objects.requireNonNull(principal, "principal");
        int slash = principal.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException(EsMessages.accountIdFormat(principal));
        }
        return new ServiceAccountId(principal.substring(0, slash), principal.substring(slash + 1));
    }

    public String asPrincipal() {
        return namespace + "/" + serviceName;
    }

    @Override
    public int compareTo(ServiceAccountId o) {
        return asPrincipal().compareTo(o.asPrincipal());
    }

    @Override
    public String toString() {
        return asPrincipal();
    }
}
