package io.svctoken.core.store;

/**
 * What a node persists, over one database: a repository per aggregate. The node sees only this;
 * which database it is ({@code svctoken.store.type}) is decided where the store is opened. The
 * repositories are thread-safe and live as long as the store.
 */
public interface Store extends AutoCloseable {

    TokenRepository tokens();

    UserRepository users();

    RoleRepository roles();

    ApiKeyRepository apiKeys();

    ApplicationPrivilegeRepository applicationPrivileges();

    RoleMappingRepository roleMappings();

    /** User-managed service accounts (the built-in ones are data, not stored). */
    ServiceAccountRepository serviceAccounts();

    OAuth2TokenRepository oauth2Tokens();

    /** The management console's sessions. */
    ConsoleSessionStore consoleSessions();

    MetadataRepository metadata();

    /** The nodes sharing this store and the invalidation log. */
    ClusterRepository cluster();

    /** Closes every connection. Idempotent; the repositories fail with {@link StoreException} afterwards. */
    @Override
    void close();
}
