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
 * must see is followed by an event of the ordered invalidation log ({@code JdbcClusterRepository}, table
 * {@code invalidations}, beside the node registry {@code nodes}), written by its own transaction right after
 * the change committed, not inside it: the change's repository stays the only one that knows its tables, and
 * an event is only ever published for a change that exists. The cost: a node that dies between the two
 * leaves the other nodes' cached entry of that change until the cache's ttl. In PostgreSQL the writers of
 * the log hold an advisory lock from the insert to the commit, so its order is the commit order.
 *
 * <p>The contract tests of every repository are in this module's test jar; each store module runs them
 * against its own database.
 */
package io.svctoken.store.jdbc;
