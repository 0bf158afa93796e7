package io.svctoken.core.file;

import io.svctoken.core.file.UsersRolesFile.Problem;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

class UsersRolesFileTest {

    private static final String PATH = "/etc/elasticsearch/users_roles";

    @Test
    void invertsRoleLinesIntoUserRolesInOrderOfAppearance() {
        UsersRolesFile.Parsed p = UsersRolesFile.parse(List.of(
                "# comment",
                "admin:jacknich, bob",
                "  power_user  :  bob ,  carol",
                "admin:carol",
                "superuser:bob,,dave,",
                "nocolon",
                ":user",
                "role:",
                "role:  ",
                "role: , ",
                " :x",
                "héllo:bob",
                ""));
        assertThat(p.userRoles()).containsExactly(
                Map.entry("", List.of("superuser")),
                Map.entry("bob", List.of("admin", "power_user", "superuser")),
                Map.entry("carol", List.of("power_user", "admin")),
                Map.entry("dave", List.of("superuser")),
                Map.entry("jacknich", List.of("admin")));
        assertThat(p.roles("nobody")).isEmpty();
        assertThat(p.problems()).extracting(Problem::lineNumber, Problem::kind).containsExactly(
                tuple(6, Problem.Kind.INVALID_ENTRY),
                tuple(7, Problem.Kind.INVALID_ENTRY),
                tuple(8, Problem.Kind.INVALID_ENTRY),
                tuple(9, Problem.Kind.NO_USERS),
                tuple(10, Problem.Kind.NO_USERS),
                tuple(11, Problem.Kind.INVALID_ROLE),
                tuple(12, Problem.Kind.INVALID_ROLE),
                tuple(13, Problem.Kind.INVALID_ENTRY));
        assertThat(p.problems().get(0).message(PATH)).isEqualTo("invalid entry in users_roles file [/etc/elasticsearch/users_roles], line [6]. skipping...");
        assertThat(p.problems().get(3).message(PATH))
                .isEqualTo("invalid entry for role [role] in users_roles file [/etc/elasticsearch/users_roles], line [9]. no users found. skipping...");
        assertThat(p.problems().get(6).message(PATH)).isEqualTo("invalid role entry in users_roles file [/etc/elasticsearch/users_roles], line [12] -"
                + " Role names must be at least 1 and no more than 1024 characters. They can contain alphanumeric characters (a-z, A-Z, 0-9),"
                + " spaces, punctuation, and printable symbols in the Basic Latin (ASCII) block. Leading or trailing whitespace is not allowed.."
                + " skipping...");
    }

    @Test
    void reservedRoleNamesAreFineHere() {
        assertThat(UsersRolesFile.parse(List.of("superuser:elastic_admin")).userRoles()).containsEntry("elastic_admin", List.of("superuser"));
    }

    @Test
    void formatsRoleColonUsersSorted() {
        Map<String, List<String>> m = new TreeMap<>();
        m.put("bob", List.of("viewer", "admin"));
        m.put("alice", List.of("admin"));
        m.put("nobody", List.of());
        assertThat(UsersRolesFile.format(m)).containsExactly("admin:alice,bob", "viewer:bob");
    }

    @Provide
    Arbitrary<Map<String, List<String>>> userRoles() {
        Arbitrary<String> user = Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(12).filter(u -> !u.contains(","));
        Arbitrary<String> role = Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(12)
                .filter(r -> !r.contains(":") && !r.startsWith("#"));
        Arbitrary<List<String>> roles = role.set().ofMinSize(1).ofMaxSize(4).map(s -> new ArrayList<>(new TreeSet<>(s)));
        return Arbitraries.maps(user, roles).ofMaxSize(10);
    }

    @Property(tries = 200)
    void formatThenParseRoundTrips(@ForAll("userRoles") Map<String, List<String>> userRoles) {
        UsersRolesFile.Parsed p = UsersRolesFile.parse(UsersRolesFile.format(userRoles));
        assertThat(p.userRoles()).isEqualTo(new TreeMap<>(userRoles));
        assertThat(p.problems()).isEmpty();
    }

    @Property(tries = 200)
    void neverThrowsOnArbitraryLines(@ForAll List<@StringLength(max = 60) String> lines) {
        UsersRolesFile.Parsed p = UsersRolesFile.parse(lines);
        p.problems().forEach(pr -> assertThat(pr.lineNumber()).isBetween(1, lines.size()));
    }
}
