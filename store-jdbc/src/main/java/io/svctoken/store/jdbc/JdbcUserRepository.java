package io.svctoken.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svctoken.core.store.Revocation;
import io.svctoken.core.store.StoreException;
import io.svctoken.core.store.UserRecord;
import io.svctoken.core.store.UserRepository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Users of the store, table {@code users}; {@code roles} holds a JSON array of strings. */
public final class JdbcUserRepository implements UserRepository {

    private static final String COLUMNS = "username, password_hash, roles, full_name, email, metadata, enabled";

    /** Loaded on first use, so that opening the store does not pay for Jackson. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
        static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
        };
    }

    private final Jdbc jdbc;
    private final InvalidationLog log;

    JdbcUserRepository(Jdbc jdbc, InvalidationLog log) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.log = Objects.requireNonNull(log, "log");
    }

    @Override
    public Optional<UserRecord> findUser(String username) {
        Objects.requireNonNull(username, "username");
        return jdbc.one("find user [" + username + "]", "SELECT " + COLUMNS + " FROM users WHERE username = ?",
                p -> p.text(username), this::user);
    }

    @Override
    public List<UserRecord> listUsers() {
        return jdbc.list("list users", "SELECT " + COLUMNS + " FROM users ORDER BY username", p -> {
        }, this::user);
    }

    @Override
    public boolean insertUserIfAbsent(UserRecord user) {
        Objects.requireNonNull(user, "user");
        return jdbc.update("insert user [" + user.username() + "]",
                "INSERT INTO users (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING",
                p -> bind(p, user)) == 1;
    }

    @Override
    public void putUser(UserRecord user, Revocation revocation) {
        Objects.requireNonNull(user, "user");
        log.revoking("put user [" + user.username() + "]", revocation, c -> Jdbc.update(c,
                "INSERT INTO users (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (username) DO UPDATE SET"
                        + " password_hash = excluded.password_hash, roles = excluded.roles,"
                        + " full_name = excluded.full_name, email = excluded.email,"
                        + " metadata = excluded.metadata, enabled = excluded.enabled",
                p -> bind(p, user)));
    }

    @Override
    public boolean deleteUser(String username, Revocation revocation) {
        Objects.requireNonNull(username, "username");
        return log.revoking("delete user [" + username + "]", revocation,
                c -> Jdbc.update(c, "DELETE FROM users WHERE username = ?", p -> p.text(username)) > 0);
    }

    private static void bind(Params p, UserRecord user) throws SQLException {
        p.text(user.username()).text(user.passwordHash()).text(rolesJson(user.roles())).text(user.fullName()).text(user.email())
                .text(user.metadataJson()).bool(user.enabled());
    }

    private UserRecord user(ResultSet rs) throws SQLException {
        String username = rs.getString(1);
        return new UserRecord(username, rs.getString(2), parseRoles(rs.getString(3), username), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getBoolean(7));
    }

    private static String rolesJson(List<String> roles) {
        try {
            return Json.MAPPER.writeValueAsString(roles);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a list of strings as JSON", e);
        }
    }

    private List<String> parseRoles(String json, String username) {
        try {
            List<String> roles = Json.MAPPER.readValue(json, Json.STRING_LIST);
            if (roles.contains(null)) {
                throw new StoreException("could not read user [" + username + "] from " + jdbc.where() + ": roles hold a null");
            }
            return roles;
        } catch (JsonProcessingException e) {
            throw new StoreException("could not read user [" + username + "] from " + jdbc.where()
                    + ": roles are not a JSON array of strings", e);
        }
    }
}
