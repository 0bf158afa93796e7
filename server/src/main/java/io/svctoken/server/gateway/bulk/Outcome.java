package io.svctoken.server.gateway.bulk;

import java.util.List;

/**
 * What a multi-item body held once read: the number of items (a {@code _bulk} action with its source, a
 * {@code _msearch} header with its body, an {@code _mget} doc) and the denied ones, in order. The others went to the
 * upstream, in order.
 */
public record Outcome(int items, List<Denial> denied) {

    public Outcome {
        denied = List.copyOf(denied);
    }

    /** Items sent to the upstream. */
    public int forwarded() {
        return items - denied.size();
    }

    /** Every item denied: the upstream is not asked (nothing reached it), the answer is built locally. */
    public boolean allDenied() {
        return items > 0 && denied.size() == items;
    }
}
