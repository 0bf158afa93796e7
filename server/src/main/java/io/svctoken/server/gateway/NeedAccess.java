package io.svctoken.server.gateway;

import io.svctoken.core.authz.index.Need;
import io.svctoken.core.event.SecurityEvents;
import io.svctoken.server.audit.RequestNames;

import java.util.List;

/** The action and index expressions a forwarded request asks for, as the audit trail names them. */
final class NeedAccess {

    private NeedAccess() {
    }

    /** The first action of the need (a request outside the table has none the gateway knows). */
    static SecurityEvents.Access of(Need need) {
        String action;
        List<String> indices = List.of();
        if (need instanceof Need.Index i) {
            action = i.action();
            indices = i.expressions();
        } else if (need instanceof Need.Cluster c) {
            action = c.action();
        } else if (need instanceof Need.NameOnly n) {
            action = n.action();
        } else if (need instanceof Need.DocWrite d) {
            action = d.action();
            indices = d.index() == null ? List.of() : List.of(d.index());
        } else if (need instanceof Need.Bulk) {
            action = "indices:data/write/bulk";
        } else if (need instanceof Need.Mget) {
            action = "indices:data/read/mget";
        } else if (need instanceof Need.Msearch) {
            action = "indices:data/read/msearch";
        } else if (need instanceof Need.Granted g) {
            action = g.action();
        } else if (need instanceof Need.AllOf all && !all.needs().isEmpty()) {
            return of(all.needs().get(0));
        } else {
            action = null;
        }
        return new SecurityEvents.Access(action, action == null ? null : RequestNames.of(action), indices);
    }
}
