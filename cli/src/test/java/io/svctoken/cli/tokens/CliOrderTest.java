package io.svctoken.cli.tokens;

import io.svctoken.core.account.BuiltinServiceAccounts;
import io.svctoken.core.account.CompatibilityVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code cli_order} data of each account set is what Elasticsearch computes: the iteration order
 * of a default {@link HashMap} keyed by principal.
 */
class CliOrderTest {

    @ParameterizedTest
    @EnumSource(CompatibilityVersion.class)
    void cliOrderIsTheHashMapOrderOfThePrincipals(CompatibilityVersion version) {
        BuiltinServiceAccounts accounts = BuiltinServiceAccounts.forVersion(version);
        Map<String, Object> esMap = new HashMap<>();
        accounts.principals().forEach(p -> esMap.put(p, p));
        assertThat(accounts.cliOrder()).containsExactlyElementsOf(new ArrayList<>(esMap.keySet()));
    }
}
