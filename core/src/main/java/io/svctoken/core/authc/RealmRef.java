package io.svctoken.core.authc;

/** A realm's name and type, as {@code authentication_realm}/{@code lookup_realm} show them. */
public record RealmRef(String name, String type) {

    /** The reserved realm's name and type ({@code reserved}); its name cannot be configured. */
    public static final RealmRef RESERVED = new RealmRef("reserved", "reserved");
}
