package io.svctoken.store.jdbc;

import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.store.ApiKeyFilter;
import io.svctoken.core.store.ApiKeyRecord;
import io.svctoken.core.store.ApiKeyRepository;
import io.svctoken.core.store.ApplicationPrivilegeRepository;
import io.svctoken.core.store.RoleMappingRepository;
import io.svctoken.core.store.ClusterRepository;
import io.svctoken.core.store.ConsoleSessionStore;
import io.svctoken.core.store.DuplicateTokenException;
import io.svctoken.core.store.MetadataRepository;
import io.svctoken.core.store.OAuth2TokenRepository;
import io.svctoken.core.store.Revocation;
import io.svctoken.core.store.RoleRecord;
import io.svctoken.core.store.RoleRepository;
import io.svctoken.core.store.ServiceAccountRepository;
import io.svctoken.core.store.Store;
import io.svctoken.core.store.TokenRecord;
import io.svctoken.core.store.TokenRepository;
import io.svctoken.core.store.UserRecord;
import io.svctoken.core.store.UserRepository;
import io.svctoken.core.token.TokenId;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A store over one database: the repositories, written once in {@code Jdbc*Repository}, over the
 * connections and dialect a subclass supplies. The repositories' methods are also the store's own
 * (delegating), as the SQLite store has always offered them.
 */
public abstract class JdbcStore implements Store, TokenRepository, UserRepository, RoleRepository, ApiKeyRepository,
        MetadataRepository {

    private final ConnectionSource connections;
    private final TokenRepository tokens;
    private final UserRepository users;
    private final RoleRepository roles;
    private final ApiKeyRepository apiKeys;
    private final ApplicationPrivilegeRepository applicationPrivileges;
    private final RoleMappingRepository roleMappings;
    private final ServiceAccountRepository serviceAccounts;
    private final OAuth2TokenRepository oauth2Tokens;
    private final ConsoleSessionStore consoleSessions;
    private final MetadataRepository metadata;
    private final ClusterRepository cluster;
    private final PublishSignal signal;

    protected JdbcStore(ConnectionSource connections, Dialect dialect) {
        this(connections, dialect, new PublishSignal.Local());
    }

    /** @param signal how this store's listener learns of publishes; closed with the store */
    protected JdbcStore(ConnectionSource connections, Dialect dialect, PublishSignal signal) {
        this.connections = connections;
        this.signal = signal;
        Jdbc jdbc = new Jdbc(connections, dialect);
        InvalidationLog log = new InvalidationLog(jdbc, dialect, signal);
        this.tokens = new JdbcTokenRepository(jdbc, log, dialect);
        this.users = new JdbcUserRepository(jdbc, log);
        this.roles = new JdbcRoleRepository(jdbc, log);
        this.apiKeys = new JdbcApiKeyRepository(jdbc, log);
        this.applicationPrivileges = new JdbcApplicationPrivilegeRepository(jdbc, log);
        this.roleMappings = new JdbcRoleMappingRepository(jdbc, log);
        this.serviceAccounts = new JdbcServiceAccountRepository(jdbc, log);
        this.oauth2Tokens = new JdbcOAuth2TokenRepository(jdbc, log);
        this.consoleSessions = new JdbcConsoleSessionStore(jdbc);
        this.metadata = new JdbcMetadataRepository(jdbc);
        this.cluster = new JdbcClusterRepository(jdbc, log, signal);
    }

    @Override
    public ClusterRepository cluster() {
        return cluster;
    }

    @Override
    public TokenRepository tokens() {
        return tokens;
    }

    @Override
    public UserRepository users() {
        return users;
    }

    @Override
    public RoleRepository roles() {
        return roles;
    }

    @Override
    public ApplicationPrivilegeRepository applicationPrivileges() {
        return applicationPrivileges;
    }

    @Override
    public RoleMappingRepository roleMappings() {
        return roleMappings;
    }

    @Override
    public ServiceAccountRepository serviceAccounts() {
        return serviceAccounts;
    }

    @Override
    public OAuth2TokenRepository oauth2Tokens() {
        return oauth2Tokens;
    }

    @Override
    public ConsoleSessionStore consoleSessions() {
        return consoleSessions;
    }

    @Override
    public ApiKeyRepository apiKeys() {
        return apiKeys;
    }

    @Override
    public MetadataRepository metadata() {
        return metadata;
    }

    /** The subclass's connections, for its own diagnostics. */
    protected ConnectionSource connections() {
        return connections;
    }

    /** Closes every connection. Idempotent. */
    @Override
    public void close() {
        signal.close();
        connections.close();
    }

    // ---------------------------------------------------------------- the repositories' methods, delegated

    @Override
    public void insert(TokenRecord record) throws DuplicateTokenException {
        tokens.insert(record);
    }

    @Override
    public boolean delete(TokenId id, Revocation revocation) {
        return tokens.delete(id, revocation);
    }

    @Override
    public Optional<TokenRecord> find(TokenId id) {
        return tokens.find(id);
    }

    @Override
    public List<String> tokenNames(ServiceAccountId account) {
        return tokens.tokenNames(account);
    }

    @Override
    public List<TokenRecord> list(ServiceAccountId account) {
        return tokens.list(account);
    }

    @Override
    public boolean setEnabled(TokenId id, boolean enabled, Revocation revocation) {
        return tokens.setEnabled(id, enabled, revocation);
    }

    @Override
    public Optional<TokenRecord> rotate(TokenId old, long oldExpiresAtMillis, TokenRecord successor, Revocation revocation)
            throws DuplicateTokenException {
        return tokens.rotate(old, oldExpiresAtMillis, successor, revocation);
    }

    @Override
    public int recordLastUsed(java.util.Map<TokenId, Long> lastUsedMillis, String nodeName) {
        return tokens.recordLastUsed(lastUsedMillis, nodeName);
    }

    @Override
    public Optional<UserRecord> findUser(String username) {
        return users.findUser(username);
    }

    @Override
    public List<UserRecord> listUsers() {
        return users.listUsers();
    }

    @Override
    public boolean insertUserIfAbsent(UserRecord user) {
        return users.insertUserIfAbsent(user);
    }

    @Override
    public void putUser(UserRecord user, Revocation revocation) {
        users.putUser(user, revocation);
    }

    @Override
    public boolean deleteUser(String username, Revocation revocation) {
        return users.deleteUser(username, revocation);
    }

    @Override
    public boolean putRole(RoleRecord role, Revocation revocation) {
        return roles.putRole(role, revocation);
    }

    @Override
    public Optional<RoleRecord> findRole(String name) {
        return roles.findRole(name);
    }

    @Override
    public boolean deleteRole(String name, Revocation revocation) {
        return roles.deleteRole(name, revocation);
    }

    @Override
    public List<RoleRecord> listRoles() {
        return roles.listRoles();
    }

    @Override
    public void insertApiKey(ApiKeyRecord key) {
        apiKeys.insertApiKey(key);
    }

    @Override
    public Optional<ApiKeyRecord> findApiKey(String id) {
        return apiKeys.findApiKey(id);
    }

    @Override
    public List<ApiKeyRecord> findApiKeys(ApiKeyFilter filter) {
        return apiKeys.findApiKeys(filter);
    }

    @Override
    public List<String> invalidateApiKeys(Collection<String> ids, long timeMillis, Revocation revocation) {
        return apiKeys.invalidateApiKeys(ids, timeMillis, revocation);
    }

    @Override
    public boolean updateApiKey(ApiKeyRecord updated, Revocation revocation) {
        return apiKeys.updateApiKey(updated, revocation);
    }

    @Override
    public Optional<String> getMetadata(String key) {
        return metadata.getMetadata(key);
    }

    @Override
    public String putMetadataIfAbsent(String key, String value) {
        return metadata.putMetadataIfAbsent(key, value);
    }

    @Override
    public boolean removeMetadata(String key, String value) {
        return metadata.removeMetadata(key, value);
    }
}
