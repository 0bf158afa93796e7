package io.svctoken.server.http;

import io.svctoken.server.ServerEsMessages;

/** A query parameter an endpoint declares, with Elasticsearch's type and error for a bad value. */
public record Param(String name, Type type) {

    public enum Type {
        /** Any text. */
        STRING,
        /** Elasticsearch's {@code paramAsBoolean}: empty, {@code true} or {@code false}. */
        BOOLEAN,
        /** Elasticsearch's {@code refresh}: empty, {@code true}, {@code false} or {@code wait_for}. */
        REFRESH
    }

    public static Param string(String name) {
        return new Param(name, Type.STRING);
    }

    public static Param bool(String name) {
        return new Param(name, Type.BOOLEAN);
    }

    /** {@code refresh}: accepted for compatibility; every write is durable at once. */
    public static Param refresh() {
        return new Param("refresh", Type.REFRESH);
    }

    /** Throws Elasticsearch's 400 for a bad value; absent is always fine. */
    void check(RestRequest request) {
        switch (type) {
            case STRING -> {
            }
            case BOOLEAN -> request.paramAsBoolean(name);
            case REFRESH -> {
                String v = request.param(name);
                if (v != null && !v.isEmpty() && !v.equals("true") && !v.equals("false") && !v.equals("wait_for")) {
                    throw EsErrors.illegalArgument(ServerEsMessages.unknownRefreshValue(v));
                }
            }
        }
    }
}
