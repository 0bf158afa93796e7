package io.svctoken.core.role;

import io.svctoken.core.account.CompatibilityVersion;
import io.svctoken.core.role.RolesFile.Problem;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

class RolesFileTest {

    private static final String PATH = "/etc/elasticsearch/roles.yml";
    private static final ReservedRoles RESERVED = ReservedRoles.forVersion(CompatibilityVersion.V8_19);

    private static final List<String> FILE = """
            # a comment
            admin:
              cluster: ['all']
              indices:
                - names: '*'
                  privileges: [ 'all' ]

            broken:
              cluster: all

            unknown:
              clustre: [monitor]
              indices: []
            superuser:
              cluster: [all]
            "bad\tname":
              cluster: [all]
            not_an_object: 5
            legacy_fls:
              indices:
                - names: [logs-*]
                  privileges: [read]
                  fields: [a, b]
                  query: '{"match_all":{}}'
              metadata:
                b: 1
                a: 2
              description: Reads logs
            yaml_error:
              cluster: [monitor
            bad_app:
              applications:
                - application: kibana
                  privilege: [read]
                  resources: ['*']
            admin:
              cluster: [monitor]
            """.lines().toList();

    @Test
    void segmentsAreCutTextually() {
        List<String> s = RolesFile.segments(List.of("  orphan: continuation", "a:", "  cluster: [x]", "", "# c", "b: {}", "\tindented"));
        assertThat(s).containsExactly("a:\n  cluster: [x]\n", "b: {}\n\tindented\n");
    }

    @Test
    void oneBadRoleDoesNotSpoilTheOthers() {
        RolesFile.Parsed p = RolesFile.parse(FILE, RESERVED);
        assertThat(p.roles()).containsOnlyKeys("admin", "legacy_fls");
        assertThat(p.roles().get("admin").cluster()).containsExactly("monitor");
        assertThat(p.roles().get("legacy_fls").toDisplayJson().toString()).isEqualTo("{\"cluster\":[],"
                + "\"indices\":[{\"names\":[\"logs-*\"],\"privileges\":[\"read\"],\"field_security\":{\"grant\":[\"a\",\"b\"]},"
                + "\"query\":\"{\\\"match_all\\\":{}}\",\"allow_restricted_indices\":false}],"
                + "\"applications\":[],\"run_as\":[],\"metadata\":{\"a\":2,\"b\":1},\"transient_metadata\":{\"enabled\":true},"
                + "\"description\":\"Reads logs\"}");
        assertThat(p.problems()).extracting(Problem::role, Problem::kind).containsExactly(
                tuple("broken", Problem.Kind.PARSE_ERROR),
                tuple("unknown", Problem.Kind.PARSE_ERROR),
                tuple("superuser", Problem.Kind.INVALID_NAME),
                tuple("bad\tname", Problem.Kind.INVALID_NAME),
                tuple("not_an_object", Problem.Kind.NOT_AN_OBJECT),
                tuple("yaml_error", Problem.Kind.SYNTAX_ERROR),
                tuple("bad_app", Problem.Kind.SYNTAX_ERROR));
        List<String> messages = p.problems().stream().map(pr -> pr.message(PATH)).toList();
        assertThat(messages).containsExactly(
                "failed to parse role [broken]. skipping role...",
                "failed to parse role [unknown]. unexpected field [clustre]. skipping role...",
                "invalid role definition [superuser] in roles file [/etc/elasticsearch/roles.yml]. invalid role name - "
                        + "Role [superuser] is reserved and may not be used.. skipping role...",
                "invalid role definition [bad\tname] in roles file [/etc/elasticsearch/roles.yml]. invalid role name - "
                        + "Role names must be at least 1 and no more than 1024 characters. They can contain alphanumeric characters (a-z, A-Z, 0-9),"
                        + " spaces, punctuation, and printable symbols in the Basic Latin (ASCII) block. Leading or trailing whitespace is not"
                        + " allowed.. skipping role...",
                "invalid role definition [not_an_object] in roles file [/etc/elasticsearch/roles.yml]. skipping role...",
                "invalid role definition [yaml_error] in roles file [/etc/elasticsearch/roles.yml]. skipping role...",
                "invalid role definition [bad_app] in roles file [/etc/elasticsearch/roles.yml]. skipping role...");
        assertThat(p.fileRejected()).isEmpty();
    }

    @Test
    void segmentsWithoutARoleName() {
        RolesFile.Parsed p = RolesFile.parse(List.of("- a list", "just text", "[unclosed", "'unclosed"), RESERVED);
        assertThat(p.roles()).isEmpty();
        assertThat(p.problems().stream().map(pr -> pr.message(PATH))).containsExactly(
                "invalid role definition [null] in roles file [/etc/elasticsearch/roles.yml]. skipping role...",
                "invalid role definition [null] in roles file [/etc/elasticsearch/roles.yml]. skipping role...",
                "invalid role definition [null] in roles file [/etc/elasticsearch/roles.yml]. skipping role...",
                "invalid role definition ['unclosed\n] in roles file [/etc/elasticsearch/roles.yml]. skipping role...");
    }

    @Test
    void dlsFlsDisabledAndDescriptionAndWholeFileRejection() {
        List<String> lines = List.of(
                "dls:", "  indices:", "    - names: [a]", "      privileges: [read]", "      query: '{}'",
                "fls_star:", "  indices:", "    - names: [a]", "      privileges: [read]", "      field_security: {grant: ['*']}",
                "long:", "  description: " + "d".repeat(1001),
                "empty_privs:", "  indices:", "    - names: [a]", "      privileges: []");
        RolesFile.Parsed p = RolesFile.parse(lines, RESERVED, false);
        assertThat(p.roles()).containsOnlyKeys("fls_star");
        assertThat(p.problems().stream().map(pr -> pr.message(PATH))).containsExactly(
                "invalid role definition [dls] in roles file [/etc/elasticsearch/roles.yml]. document and field level security is not enabled."
                        + " set [xpack.security.dls_fls.enabled] to [true] in the configuration file. skipping role...",
                "invalid role definition [long] in roles file [/etc/elasticsearch/roles.yml]. invalid description - "
                        + "Role description must be less than 1000 characters.. skipping role...",
                "indices privileges must define at least one privilege");
        assertThat(p.fileRejected()).map(Problem::role).contains("empty_privs");
        assertThat(RolesFile.parse(lines.subList(0, 5), RESERVED).roles()).containsOnlyKeys("dls");
    }

    @Test
    void aRoleWithUnknownPrivilegesIsSkippedWithALineNamingRoleAndPrivilege() {
        List<String> lines = List.of(
                "good:", "  cluster: [monitor, 'cluster:admin/xpack/security/*']", "  indices:", "    - names: [a]", "      privileges: [read]",
                "bad_cluster:", "  cluster: [monitor, nonsense]",
                "bad_index:", "  indices:", "    - names: [a]", "      privileges: [read, reed]",
                "also_good:", "  cluster: [MANAGE_OWN_API_KEY]");
        RolesFile.Parsed p = RolesFile.parse(lines, RESERVED);
        assertThat(p.roles()).containsOnlyKeys("good", "also_good");
        assertThat(p.problems()).extracting(Problem::role, Problem::kind).containsExactly(
                tuple("bad_cluster", Problem.Kind.INVALID_PRIVILEGES),
                tuple("bad_index", Problem.Kind.INVALID_PRIVILEGES));
        List<String> messages = p.problems().stream().map(pr -> pr.message(PATH)).toList();
        assertThat(messages.get(0)).startsWith("invalid role definition [bad_cluster] in roles file [/etc/elasticsearch/roles.yml]. "
                + "unknown cluster privilege [nonsense]. a privilege must be either one of the predefined cluster privilege names [")
                .endsWith("] or a pattern over one of the available cluster actions. skipping role...");
        assertThat(messages.get(1)).startsWith("invalid role definition [bad_index] in roles file [/etc/elasticsearch/roles.yml]. "
                + "unknown index privilege [reed]. a privilege must be either one of the predefined fixed indices privileges [")
                .endsWith("] or a pattern over one of the available index actions. skipping role...");
        assertThat(p.fileRejected()).isEmpty();
    }

    @Test
    void laterDefinitionWins() {
        RolesFile.Parsed p = RolesFile.parse(List.of("r:", "  cluster: [monitor]", "r:", "  cluster: [all]"), RESERVED);
        assertThat(p.roles().get("r").cluster()).containsExactly("all");
    }

    @Test
    void yamlQueryObjectsBecomeCompactJsonStrings() {
        RolesFile.Parsed p = RolesFile.parse(List.of("q:", "  indices:", "    - names: a", "      privileges: [read]",
                "      query:", "        term: {user: {value: 3}}"), RESERVED);
        assertThat(p.roles().get("q").toDisplayJson().at("/indices/0/query").asText()).isEqualTo("{\"term\":{\"user\":{\"value\":3}}}");
    }

    @Property(tries = 150)
    void neverThrowsOnArbitraryLines(@ForAll List<@StringLength(max = 40) String> lines) {
        RolesFile.Parsed p = RolesFile.parse(lines, RESERVED);
        assertThat(p.roles().size() + p.problems().size()).isLessThanOrEqualTo(RolesFile.segments(lines).size());
    }
}
