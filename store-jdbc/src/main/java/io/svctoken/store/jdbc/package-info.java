/**
 * The store's repositories, written once in portable SQL: {@code JdbcTokenRepository},
 * {@code JdbcUserRepository}, {@code JdbcRoleRepository}, {@code JdbcApiKeyRepository},
 * {@code JdbcMetadataRepository}, over the small helper {@link io.svctoken.store.jdbc.Jdbc}. A store
 * module adds only what is its own: its {@link io.svctoken.store.jdbc.ConnectionSource} (SQLite: one
 * writer under a lock and read-only readers; PostgreSQL: a pool), its
 * {@link io.svctoken.store.jdbc.Dialect} and its Flyway migrations, numbered in step
 * ({@code db/sqlite/V<n>}, {@code db/postgresql/V<n>}: the same tables in each database's types).
 *
 * <p>Every change goes through a repository method that names its operation. A change that other nodes
 * must see (a revoking write) is given the event of the ordered invalidation log it needs
 * ({@link io.svctoken.core.store.Revocation}; table {@code invalidations}, beside the node registry
 * {@code nodes}) and appends it in the change's own transaction ({@code InvalidationLog}, a transactional
 * outbox): the change and its event commit together or not at all, and the change's repository stays the
 * only one that knows its tables. The log's writers take its lock after their change and hold it to the
 * commit (PostgreSQL: an advisory lock; SQLite: its one writer), so the log's order is its commit order;
 * PostgreSQL's {@code NOTIFY} is delivered at that commit.
 *
 * <p>The contract tests of every repository are in this module's test jar; each store module runs them
 * against its own database.
 */
package io.svctoken.store.jdbc;
