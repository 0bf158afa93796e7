package io.svctoken.server.gateway.bulk;

/**
 * An item the item check refused: its position among the request's items (from 0), the operation as the answer
 * names it ({@code index}, {@code create}, {@code update}, {@code delete}; {@code search} for {@code _msearch},
 * {@code get} for {@code _mget}), its index expression as written (else the path's), its {@code _id} or null, and
 * the check's reason.
 */
public record Denial(int position, String op, String index, String id, String reason) {
}
