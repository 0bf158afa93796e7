package io.svctoken.server.gateway;

import io.svctoken.core.authc.Authentication;

import java.util.Map;

public interface ForwardPolicy {
    /** Decides a forwarded request from its head (method, raw path, query); never reads the body. */
    Verdict decide(Authentication who, String method, String rawPath, Map<String, String> query);
    sealed interface Verdict {
        record Allow() implements Verdict {}
        record AllowBulk(String defaultIndex) implements Verdict {}   // body items decided one by one (bulk engineer)
        record Deny(int status, String type, String reason) implements Verdict {}  // Elasticsearch's error
    }
}
