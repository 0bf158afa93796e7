package io.svctoken.core.authc;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The client address the failure budget is kept for. */
class ThrottleSourceTest {

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void anIpv4AddressIsItsOwnSource() throws Exception {
        assertThat(AuthenticationService.source(ip("10.1.2.3"))).isEqualTo(ip("10.1.2.3"));
        assertThat(AuthenticationService.source(ip("10.1.2.3"))).isNotEqualTo(AuthenticationService.source(ip("10.1.2.4")));
    }

    @Test
    void ipv6AddressesCountPerSlash64() throws Exception {
        assertThat(AuthenticationService.source(ip("2001:db8:1:2:aaaa:bbbb:cccc:dddd"))).isEqualTo(ip("2001:db8:1:2::"));
        assertThat(AuthenticationService.source(ip("2001:db8:1:2::1"))).isEqualTo(AuthenticationService.source(ip("2001:db8:1:2:ffff::9")));
        assertThat(AuthenticationService.source(ip("2001:db8:1:2::1"))).isNotEqualTo(AuthenticationService.source(ip("2001:db8:1:3::1")));
    }

    @Test
    void anIpv4MappedAddressIsTheIpv4Address() throws Exception {
        assertThat(AuthenticationService.source(ip("::ffff:10.1.2.3"))).isEqualTo(ip("10.1.2.3"));
    }

    @Test
    void durationsAreLoggedInElasticsearchTimeUnits() {
        assertThat(AuthenticationService.timeValue(Duration.ofMinutes(1))).isEqualTo("1m");
        assertThat(AuthenticationService.timeValue(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(AuthenticationService.timeValue(Duration.ofDays(2))).isEqualTo("2d");
        assertThat(AuthenticationService.timeValue(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }

    @Test
    void anUnknownAddressIsOneSharedSource() {
        assertThat(AuthenticationService.source(null)).isNull();
    }
}
