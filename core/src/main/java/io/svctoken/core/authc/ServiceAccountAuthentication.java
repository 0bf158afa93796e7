package io.svctoken.core.authc;

import io.svctoken.core.account.ServiceAccount;
import io.svctoken.core.store.TokenSource;

/** A successful service-token authentication: who, with which token, from which store. */
public record ServiceAccountAuthentication(ServiceAccount account, String tokenName, TokenSource source) {
}
