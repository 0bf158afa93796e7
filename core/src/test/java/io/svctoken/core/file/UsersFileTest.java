package io.svctoken.core.file;

import io.svctoken.core.file.UsersFile.Problem;
import io.svctoken.core.user.ReservedUsers;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

class UsersFileTest {

    private static final String BCRYPT = "$2a$10$" + "N".repeat(53);
    private static final String PBKDF2 = "{PBKDF2_STRETCH}10000$AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=$HuU/CkY2+8FrdaRLob/WEFzYa8g94v/6+w6srhx+D1A=";
    private static final String PATH = "/etc/elasticsearch/users";

    @Test
    void parsesLikeElasticsearch() {
        UsersFile.Parsed p = UsersFile.parse(List.of(
                "# comment",
                "jacknich:" + BCRYPT,
                "",
                "  admin:" + PBKDF2 + "  ",
                "nocolon",
                ":nouser",
                "nohash:",
                "bob :" + BCRYPT,
                "elastic:" + BCRYPT,
                "héllo:" + BCRYPT,
                "jacknich:plaintext",
                "  # indented is not a comment"));
        assertThat(p.users()).containsExactly(Map.entry("admin", PBKDF2), Map.entry("jacknich", "plaintext"));
        assertThat(p.problems()).extracting(Problem::lineNumber, Problem::kind).containsExactly(
                tuple(3, Problem.Kind.INVALID_ENTRY),
                tuple(5, Problem.Kind.INVALID_ENTRY),
                tuple(6, Problem.Kind.INVALID_ENTRY),
                tuple(7, Problem.Kind.INVALID_ENTRY),
                tuple(8, Problem.Kind.INVALID_USERNAME),
                tuple(9, Problem.Kind.INVALID_USERNAME),
                tuple(10, Problem.Kind.INVALID_USERNAME),
                tuple(12, Problem.Kind.INVALID_ENTRY));
        assertThat(p.problems().get(0).message(PATH)).isEqualTo("invalid entry in users file [/etc/elasticsearch/users], line [3]. skipping...");
        assertThat(p.problems().get(4).message(PATH)).isEqualTo("invalid username [bob ] in users file [/etc/elasticsearch/users], skipping..."
                + " (User names must be at least 1 and no more than 1024 characters. They can contain alphanumeric characters (a-z, A-Z, 0-9),"
                + " spaces, punctuation, and printable symbols in the Basic Latin (ASCII) block. Leading or trailing whitespace is not allowed.)");
        assertThat(p.problems().get(5).message(PATH))
                .isEqualTo("invalid username [elastic] in users file [/etc/elasticsearch/users], skipping... (Username [elastic] is reserved and may not be used.)");
    }

    @Test
    void reservedNamesAreAllowedWhenTheReservedRealmIsDisabled() {
        UsersFile.Parsed p = UsersFile.parse(List.of("elastic:" + BCRYPT, "_anonymous:" + BCRYPT), new ReservedUsers(false, null));
        assertThat(p.users()).containsOnlyKeys("elastic", "_anonymous");
        assertThat(p.problems()).isEmpty();
    }

    @Test
    void formatsSortedUserColonHash() {
        assertThat(UsersFile.format(Map.of("zed", BCRYPT, "alice", PBKDF2))).containsExactly("alice:" + PBKDF2, "zed:" + BCRYPT);
    }

    @Provide
    Arbitrary<Map<String, String>> users() {
        Arbitrary<String> name = Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(30)
                .filter(n -> !n.contains(":") && !n.startsWith("#") && n.equals(n.trim()) && !ReservedUsers.DEFAULT.isReserved(n));
        Arbitrary<String> hash = Arbitraries.of(BCRYPT, PBKDF2, "{SHA}87o4G2uu9Sa/cP8iCx2kkGmJIks=", "a:b:c");
        return Arbitraries.maps(name, hash).ofMaxSize(15);
    }

    @Property(tries = 200)
    void formatThenParseRoundTrips(@ForAll("users") Map<String, String> users) {
        UsersFile.Parsed p = UsersFile.parse(UsersFile.format(users));
        assertThat(p.users()).isEqualTo(new TreeMap<>(users));
        assertThat(p.problems()).isEmpty();
    }

    @Property(tries = 200)
    void neverThrowsOnArbitraryLines(@ForAll List<@StringLength(max = 60) String> lines) {
        UsersFile.Parsed p = UsersFile.parse(lines);
        p.problems().forEach(pr -> assertThat(pr.lineNumber()).isBetween(1, lines.size()));
        assertThat(p.users().size() + p.problems().size()).isLessThanOrEqualTo(lines.size());
    }
}
