package io.svctoken.server.gateway;

import io.svctoken.core.authc.Authentication;

import java.util.Map;

/**
 * Whether an authenticated request that svctoken does not serve itself may go to the upstream. The gateway
 * asks it once per forwarded request, from the head only, before any of the body is read.
 */
public interface ForwardPolicy {

    /** Decides a forwarded request from its head (method, raw path, query); never reads the body. */
    Verdict decide(Authentication who, String method, String rawPath, Map<String, String> query);

    sealed interface Verdict {
        /** Forward as it is. */
        record Allow() implements Verdict {}

        /** A {@code _bulk} request whose items are decided one by one as the body streams. */
        record AllowBulk(String defaultIndex) implements Verdict {}

        /** Refuse with Elasticsearch's error: status, {@code error.type} and {@code error.reason}. */
        record Deny(int status, String type, String reason) implements Verdict {}
    }
}
