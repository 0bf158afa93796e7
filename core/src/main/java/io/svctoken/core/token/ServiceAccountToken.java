package io.svctoken.core.token;

import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.secret.Secret;

import java.util.Objects;

/**
 * A parsed or freshly created service token: the token id and its secret. {@code toString} never
 * shows the secret.
 */
public final class ServiceAccountToken implements AutoCloseable {

    private final TokenId id;
    private final Secret secret;

    public ServiceAccountToken(TokenId id, Secret secret) {
        this.id = Objects.requireNonNull(id, "id");
        this.secret = Objects.requireNonNull(secret, "secret");
    }

    /** A new token for {@code accountId} named {@code tokenName}, with a fresh secret. */
    public static ServiceAccountToken newToken(ServiceAccountId accountId, String tokenName) {
        return new ServiceAccountToken(new TokenId(accountId, tokenName), SecretGenerator.newSecret());
    }

    public TokenId id() {
        return id;
    }

    public ServiceAccountId accountId() {
        return id.accountId();
    }

    public String tokenName() {
        return id.tokenName();
    }

    public String qualifiedName() {
        return id.qualifiedName();
    }

    public Secret secret() {
        return secret;
    }

    /** The bearer value ({@code Authorization: Bearer <value>}); a secret itself. */
    public Secret asBearer() {
        return TokenCodec.encode(this);
    }

    @Override
    public void close() {
        secret.wipe();
    }

    @Override
    public String toString() {
        return "ServiceAccountToken[" + id.qualifiedName() + ", secret=redacted]";
    }
}
