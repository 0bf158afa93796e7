package io.svctoken.core.authz.privilege;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.account.RoleDescriptor;
import io.svctoken.core.authz.privilege.PrivilegeCheck.ApplicationCheck;
import io.svctoken.core.authz.privilege.PrivilegeCheck.IndexCheck;
import io.svctoken.core.authz.privilege.PrivilegeCheck.Request;
import io.svctoken.core.error.InvalidRequestException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** has_privileges decisions as Elasticsearch makes them (pattern within granted patterns). */
class PrivilegeCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static RoleDescriptor role(String json) throws Exception {
        return new RoleDescriptor("r", (ObjectNode) JSON.readTree(json));
    }

    private static Map<String, Boolean> index(List<List<RoleDescriptor>> layers, String pattern, boolean allowRestricted, String... privileges) {
        Request r = new Request(List.of(), List.of(new IndexCheck(List.of(pattern), List.of(privileges), allowRestricted)), List.of());
        return PrivilegeCheck.check(layers, r, List.of()).index().get(pattern);
    }

    @Test
    void anIndexPatternIsHeldOnlyWithinAGrantedPattern() throws Exception {
        List<List<RoleDescriptor>> user = List.of(List.of(role("{\"indices\":[{\"names\":[\"logs-a*\"],\"privileges\":[\"read\"]},"
                + "{\"names\":[\"logs-*\"],\"privileges\":[\"monitor\"]}]}")));
        assertThat(index(user, "logs-*", false, "read", "monitor")).isEqualTo(Map.of("read", false, "monitor", true));
        assertThat(index(user, "logs-abc", false, "read", "write")).isEqualTo(Map.of("read", true, "write", false));
        assertThat(index(user, "logs-a*", false, "read")).isEqualTo(Map.of("read", true));
        // an action under a granted privilege is held; one outside it is not
        assertThat(index(user, "logs-a1", false, "indices:data/read/search", "indices:data/write/index")).isEqualTo(
                Map.of("indices:data/read/search", true, "indices:data/write/index", false));
    }

    @Test
    void restrictedNamesAreLeftOutUnlessAskedForOrAllowed() throws Exception {
        List<List<RoleDescriptor>> star = List.of(List.of(role("{\"indices\":[{\"names\":[\"*\"],\"privileges\":[\"all\"]}]}")));
        assertThat(index(star, "*", false, "read")).isEqualTo(Map.of("read", true));
        assertThat(index(star, "*", true, "read")).isEqualTo(Map.of("read", false));
        assertThat(index(star, ".security-7", false, "read")).isEqualTo(Map.of("read", false));
        List<List<RoleDescriptor>> allowed = List.of(List.of(role("{\"indices\":[{\"names\":[\"*\"],\"privileges\":[\"all\"],"
                + "\"allow_restricted_indices\":true}]}")));
        assertThat(index(allowed, "*", true, "read")).isEqualTo(Map.of("read", true));
        assertThat(index(allowed, ".security-7", false, "read")).isEqualTo(Map.of("read", true));
    }

    @Test
    void regularExpressionsOnEitherSide() throws Exception {
        List<List<RoleDescriptor>> user = List.of(List.of(role("{\"indices\":[{\"names\":[\"/sec-[0-9]+/\"],\"privileges\":[\"read\"]}]}")));
        assertThat(index(user, "sec-12", false, "read")).isEqualTo(Map.of("read", true));
        assertThat(index(user, "/sec-1[0-9]*/", false, "read")).isEqualTo(Map.of("read", true));
        assertThat(index(user, "/sec-[0-9]*/", false, "read")).isEqualTo(Map.of("read", false)); // "sec-" alone is not granted
        assertThat(index(user, "/sec-[1-3][0-9]/", false, "read")).isEqualTo(Map.of("read", true));
        assertThat(index(user, "sec-*", false, "read")).isEqualTo(Map.of("read", false));
    }

    @Test
    void clusterNamesAndActionPatterns() throws Exception {
        List<List<RoleDescriptor>> user = List.of(List.of(role("{\"cluster\":[\"monitor\",\"cluster:admin/xpack/security/user/get\"]}")));
        Request r = new Request(List.of("monitor", "manage", "cluster:monitor/health", "cluster:admin/xpack/security/user/get",
                "manage_own_api_key", "none"), List.of(), List.of());
        PrivilegeCheck.Result result = PrivilegeCheck.check(user, r, List.of());
        assertThat(result.cluster()).isEqualTo(Map.of("monitor", true, "manage", false, "cluster:monitor/health", true,
                "cluster:admin/xpack/security/user/get", true, "manage_own_api_key", false, "none", true));
        assertThat(result.hasAllRequested()).isFalse();
        // all implies every unconditional privilege, and not manage_own_api_key (a privilege of its own kind)
        PrivilegeCheck.Result all = PrivilegeCheck.check(List.of(List.of(role("{\"cluster\":[\"all\"]}"))),
                new Request(List.of("manage_security", "manage_own_api_key"), List.of(), List.of()), List.of());
        assertThat(all.cluster()).isEqualTo(Map.of("manage_security", true, "manage_own_api_key", false));
    }

    @Test
    void anApiKeyHoldsWhatBothItAndItsOwnerHold() throws Exception {
        List<List<RoleDescriptor>> key = List.of(List.of(role("{\"cluster\":[\"all\"]}")), List.of(role("{\"cluster\":[\"monitor\"]}")));
        PrivilegeCheck.Result r = PrivilegeCheck.check(key, new Request(List.of("manage_security", "monitor"), List.of(), List.of()), List.of());
        assertThat(r.cluster()).isEqualTo(Map.of("manage_security", false, "monitor", true));
    }

    @Test
    void applicationPrivilegesResolveThroughStoredDefinitions() throws Exception {
        List<ApplicationPrivilegeDescriptor> stored = List.of(
                new ApplicationPrivilegeDescriptor("myapp", "read", List.of("data:read/*", "action:login"), null),
                new ApplicationPrivilegeDescriptor("myapp", "write", List.of("data:write/*", "action:login"), null));
        List<List<RoleDescriptor>> user = List.of(List.of(role("{\"applications\":[{\"application\":\"myapp\",\"privileges\":[\"read\"],"
                + "\"resources\":[\"space/*\"]}]}")));
        Request r = new Request(List.of(), List.of(), List.of(new ApplicationCheck("myapp", List.of("read", "write", "data:read/x",
                "action:login"), List.of("space/a", "*"))));
        PrivilegeCheck.Result result = PrivilegeCheck.check(user, r, stored);
        assertThat(result.application().get("myapp")).isEqualTo(Map.of(
                "space/a", Map.of("read", true, "write", false, "data:read/x", true, "action:login", true),
                "*", Map.of("read", false, "write", false, "data:read/x", false, "action:login", false)));
        assertThat(List.copyOf(result.application().get("myapp").keySet())).containsExactly("*", "space/a");
        // a privilege of an application without definitions matches only itself
        PrivilegeCheck.Result undefined = PrivilegeCheck.check(user, new Request(List.of(), List.of(),
                List.of(new ApplicationCheck("myapp", List.of("read"), List.of("space/a")))), List.of());
        assertThat(undefined.application().get("myapp").get("space/a")).isEqualTo(Map.of("read", true));
    }

    @Test
    void anyActionOfAnyApplicationCoversPrivilegesWithoutDefinitions() throws Exception {
        // the superuser's entry: application *, privilege *, resource *
        List<List<RoleDescriptor>> superuser = List.of(List.of(role("{\"applications\":[{\"application\":\"*\",\"privileges\":[\"*\"],"
                + "\"resources\":[\"*\"]}]}")));
        PrivilegeCheck.Result r = PrivilegeCheck.check(superuser, new Request(List.of(), List.of(),
                List.of(new ApplicationCheck("myapp", List.of("read", "data:write/x"), List.of("*")))), List.of());
        assertThat(r.application().get("myapp").get("*")).isEqualTo(Map.of("read", true, "data:write/x", true));
    }

    @Test
    void unknownPrivilegeNamesAreRefused() {
        assertThatThrownBy(() -> PrivilegeCheck.check(List.of(List.of()), new Request(List.of("Bogus"), List.of(), List.of()), List.of()))
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("unknown cluster privilege [bogus]. a privilege must be");
        assertThatThrownBy(() -> PrivilegeCheck.check(List.of(List.of()), new Request(List.of(),
                List.of(new IndexCheck(List.of("x"), List.of("reed"), false)), List.of()), List.of()))
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("unknown index privilege [reed].");
    }

    @Test
    void applicationNameRules() {
        assertThat(ApplicationPrivilege.applicationNameProblem("myapp", false)).isNull();
        assertThat(ApplicationPrivilege.applicationNameProblem("kibana-.kibana", false)).isNull();
        assertThat(ApplicationPrivilege.applicationNameProblem("ab", false)).isEqualTo(
                "An application name prefix must be at least 3 characters long (found 'ab')");
        assertThat(ApplicationPrivilege.applicationNameProblem("_app", false)).isEqualTo(
                "An application name prefix must match the pattern ^[a-z][A-Za-z0-9]*$ (found '')");
        assertThat(ApplicationPrivilege.applicationNameProblem("app*", false)).isEqualTo("Application names may not contain '*' (found 'app*')");
        assertThat(ApplicationPrivilege.privilegeNameProblem("Read")).isEqualTo(
                "Application privilege names must match the pattern ^[a-z][a-zA-Z0-9_.-]*$ (found 'Read')");
    }
}
