package io.svctoken.server.authc;

/** A realm's name and type, as {@code authentication_realm}/{@code lookup_realm} show them. */
public record RealmRef(String name, String type) {

    public static final RealmRef RESERVED = new RealmRef(io.svctoken.server.settings.RealmSettings.RESERVED_NAME, "reserved");
}
