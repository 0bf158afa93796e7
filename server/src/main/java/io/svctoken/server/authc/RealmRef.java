package io.svctoken.server.authc;

/** A realm's name and type, as {@code authentication_realm}/{@code lookup_realm} show them. */
public record RealmRef(String name, String type) {

    public static final RealmRef RESERVED = new RealmRef("reserved", "reserved");
    public static final RealmRef FILE = new RealmRef("default_file", "file");
    public static final RealmRef NATIVE = new RealmRef("default_native", "native");
}
