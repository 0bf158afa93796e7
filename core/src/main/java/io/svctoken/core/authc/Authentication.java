package io.svctoken.core.authc;

/**
 * Who made a request: pure data. The server renders it ({@code _authenticate}); the authorizer decides
 * on it; API keys and tokens record its effective subject as their creator.
 */
public sealed interface Authentication permits UserAuthentication, ServiceAccountAuthn, ApiKeyAuthn {

    /** The effective principal name ({@code elastic}, {@code elastic/fleet-server}). */
    String principal();

    /** The realm the effective subject comes from (Elasticsearch's {@code getEffectiveSubject().getRealm()}). */
    RealmRef effectiveRealm();
}
