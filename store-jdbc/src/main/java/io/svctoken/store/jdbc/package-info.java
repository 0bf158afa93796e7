/**
 * The store's repositories, written once in portable SQL: {@code JdbcTokenRepository},
 * {@code JdbcUserRepository}, {@code JdbcRoleRepository}, {@code JdbcApiKeyRepository},
 * {@code JdbcMetadataRepository}, over the small helper {@link io.svctoken.store.jdbc.Jdbc}. A store
 * module adds only what is its own: its {@link io.svctoken.store.jdbc.ConnectionSource} (SQLite: one
 * writer under a lock and read-only readers; PostgreSQL: a pool), its
 * {@link io.svctoken.store.jdbc.Dialect} and its Flyway migrations, numbered in step
 * ({@code db/sqlite/V<n>}, {@code db/postgresql/V<n>}: the same tables in each database's types).
 *
 * <p>Every change goes through a repository method that names its operation; a change that must be
 * seen by other nodes (an ordered invalidation log, for nodes sharing one database) belongs in the same
 * {@link io.svctoken.store.jdbc.Jdbc#transaction} as the change itself, in a table added by the next
 * migration of both databases.
 *
 * <p>The contract tests of every repository are in this module's test jar; each store module runs them
 * against its own database.
 */
package io.svctoken.store.jdbc;
