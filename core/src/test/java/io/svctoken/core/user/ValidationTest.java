package io.svctoken.core.user;

import io.svctoken.core.account.CompatibilityVersion;
import io.svctoken.core.role.ReservedRoles;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ValidationTest {

    static final String USER_1024 = "User names must be at least 1 and no more than 1024 characters. They can contain alphanumeric characters"
            + " (a-z, A-Z, 0-9), spaces, punctuation, and printable symbols in the Basic Latin (ASCII) block. Leading or trailing whitespace"
            + " is not allowed.";
    static final String ROLE_1024 = "Role names must be at least 1 and no more than 1024 characters. They can contain alphanumeric characters"
            + " (a-z, A-Z, 0-9), spaces, punctuation, and printable symbols in the Basic Latin (ASCII) block. Leading or trailing whitespace"
            + " is not allowed.";
    static final String ROLE_507 = ROLE_1024.replace("1024", "507");

    @Test
    void userNameRules() {
        ReservedUsers r = ReservedUsers.DEFAULT;
        for (String ok : List.of("a", "jack nich", "x!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", "a".repeat(1024))) {
            assertThat(Validation.Users.validateUsername(ok, false, r)).as(ok).isEmpty();
        }
        for (String bad : List.of("", " a", "a ", "a".repeat(1025), "héllo", "tab\there", "new\nline", "\u007f")) {
            assertThat(Validation.Users.validateUsername(bad, false, r)).as(bad).contains(USER_1024);
        }
        assertThat(Validation.Users.validateUsername(null, false, r)).contains("username is missing");
        assertThat(Validation.Users.validateUsername("a".repeat(508), false, r, Validation.NATIVE_MAX_NAME_LENGTH))
                .contains(USER_1024.replace("1024", "507"));
    }

    @Test
    void reservedUserNames() {
        assertThat(ReservedUsers.names(CompatibilityVersion.V8_19)).containsExactly("elastic", "kibana", "kibana_system", "logstash_system",
                "beats_system", "apm_system", "remote_monitoring_user");
        assertThat(ReservedUsers.names(CompatibilityVersion.V9)).isEqualTo(ReservedUsers.names(CompatibilityVersion.V8_19));
        ReservedUsers r = ReservedUsers.DEFAULT;
        for (String name : ReservedUsers.names(CompatibilityVersion.V8_19)) {
            assertThat(Validation.Users.validateUsername(name, false, r)).contains("Username [" + name + "] is reserved and may not be used.");
            assertThat(Validation.Users.validateUsername(name, true, r)).isEmpty();
        }
        assertThat(Validation.Users.validateUsername("_anonymous", false, r)).contains("Username [_anonymous] is reserved and may not be used.");
        ReservedUsers realmOff = new ReservedUsers(false, "guest");
        assertThat(realmOff.isReserved("elastic")).isFalse();
        assertThat(realmOff.isReserved("guest")).isTrue();
        assertThat(realmOff.isReserved("_anonymous")).isTrue();
        assertThat(realmOff.isReserved("bob")).isFalse();
        assertThat(ReservedUsers.find("remote_monitoring_user").orElseThrow().roles())
                .containsExactly("remote_monitoring_collector", "remote_monitoring_agent");
        ReservedUsers.ReservedUser kibana = ReservedUsers.find("kibana").orElseThrow();
        assertThat(kibana.deprecated()).isTrue();
        assertThat(kibana.metadata()).containsEntry("_deprecated_reason", "Please use the [kibana_system] user instead.");
        assertThat(ReservedUsers.find("elastic").orElseThrow().roles()).containsExactly("superuser");
    }

    @Test
    void passwords() {
        assertThat(Validation.Users.validatePassword("12345")).contains("passwords must be at least [6] characters long");
        assertThat(Validation.Users.validatePassword("123456")).isEmpty();
    }

    @Test
    void roleNameRules() {
        ReservedRoles reserved = ReservedRoles.forVersion(CompatibilityVersion.V8_19);
        assertThat(Validation.Roles.validateRoleName("my role", false, reserved::isReserved)).isEmpty();
        assertThat(Validation.Roles.validateRoleName("", false, reserved::isReserved)).contains(ROLE_1024);
        assertThat(Validation.Roles.validateRoleName(null, false, reserved::isReserved)).contains("role name is missing");
        assertThat(Validation.Roles.validateRoleName("superuser", false, reserved::isReserved))
                .contains("Role [superuser] is reserved and may not be used.");
        assertThat(Validation.Roles.validateRoleName("superuser", true, reserved::isReserved)).isEmpty();
        assertThat(Validation.Roles.validateRoleName("r".repeat(508), true, reserved::isReserved, Validation.NATIVE_MAX_NAME_LENGTH))
                .contains(ROLE_507);
        assertThat(Validation.Roles.validateRoleDescription("d".repeat(1000))).isEmpty();
        assertThat(Validation.Roles.validateRoleDescription("d".repeat(1001))).contains("Role description must be less than 1000 characters.");
        assertThat(Validation.Roles.validateRoleDescription(null)).isEmpty();
    }

    private static final Pattern SPEC = Pattern.compile("[ -~]{1,1024}");

    @Property(tries = 300)
    void nameRuleMatchesItsDefinition(@ForAll @StringLength(max = 40) String name) {
        boolean expected = SPEC.matcher(name).matches() && !name.startsWith(" ") && !name.endsWith(" ");
        Optional<String> error = Validation.Users.validateUsername(name, true, ReservedUsers.DEFAULT);
        assertThat(error.isEmpty()).isEqualTo(expected);
        assertThat(Validation.isValidUserOrRoleName(name, 1024)).isEqualTo(expected);
    }
}
