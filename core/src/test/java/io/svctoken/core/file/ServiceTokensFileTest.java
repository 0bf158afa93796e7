package io.svctoken.core.file;

import io.svctoken.core.file.ServiceTokensFile.Problem;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceTokensFileTest {

    private static final String HASH = "{PBKDF2_STRETCH}10000$AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=$HuU/CkY2+8FrdaRLob/WEFzYa8g94v/6+w6srhx+D1A=";

    @Test
    void parsesLikeElasticsearch() {
        ServiceTokensFile.Parsed p = ServiceTokensFile.parse(List.of(
                "# comment",
                "",
                "   ",
                "  elastic/fleet-server/b:" + HASH + "  ",
                "elastic/fleet-server/a:$2a$10$" + "a".repeat(53),
                "elastic/kibana/plain:notahash",
                "elastic/kibana/empty:",
                "  # indented is not a comment",
                "elastic/fleet-server/b:{SHA}87o4G2uu9Sa/cP8iCx2kkGmJIks=",
                "unknown/principal/x:{MD5}SEdPl1Ai+WC8Kvvkm+WB6A=="));
        assertThat(p.tokens()).containsOnlyKeys("elastic/fleet-server/a", "elastic/fleet-server/b", "unknown/principal/x");
        assertThat(p.tokens().get("elastic/fleet-server/b")).isEqualTo("{SHA}87o4G2uu9Sa/cP8iCx2kkGmJIks=");
        assertThat(p.problems()).extracting(Problem::lineNumber, Problem::kind).containsExactly(
                Tuple.tuple(6, Problem.Kind.PLAINTEXT),
                Tuple.tuple(7, Problem.Kind.PLAINTEXT),
                Tuple.tuple(8, Problem.Kind.MISSING_COLON),
                Tuple.tuple(9, Problem.Kind.DUPLICATE));
        assertThat(p.problems().get(0).message("/c/service_tokens")).isEqualTo("skipping plaintext service account token for key [elastic/kibana/plain]");
        assertThat(p.problems().get(2).message("/c/service_tokens"))
                .isEqualTo("invalid format at line #8 of service_tokens file [/c/service_tokens] - missing ':' character - ");
        assertThat(p.problems().get(3).message("/c/service_tokens"))
                .isEqualTo("found duplicated key [elastic/fleet-server/b], earlier entries are overridden");
    }

    @Test
    void strictParsingRefusesAMissingColon() {
        assertThatThrownBy(() -> ServiceTokensFile.parseStrict(List.of("a/b/c:" + HASH, "nocolon")))
                .isInstanceOf(IllegalStateException.class).hasMessage("Missing ':' character at line #2");
    }

    @Test
    void formatsSortedKeyColonHash() {
        Map<String, String> m = new TreeMap<>(Map.of("elastic/kibana/z", HASH, "elastic/fleet-server/a", HASH));
        assertThat(ServiceTokensFile.format(m)).containsExactly("elastic/fleet-server/a:" + HASH, "elastic/kibana/z:" + HASH);
    }

    @Provide
    Arbitrary<Map<String, String>> tokenMaps() {
        Arbitrary<String> key = Arbitraries.strings().withChars("abcXYZ019-_/.").ofMinLength(1).ofMaxLength(40)
                .filter(k -> !k.isBlank() && !k.startsWith("#") && k.equals(k.trim()));
        Arbitrary<String> hash = Arbitraries.of(HASH, "{SHA}87o4G2uu9Sa/cP8iCx2kkGmJIks=", "$2a$10$" + "b".repeat(53),
                "{SSHA256}AQIDBAUGBwg=9hARz15kfPIEunjsfJzesauM+8NEcBJ8T4Mh2qjY058=");
        return Arbitraries.maps(key, hash).ofMaxSize(20);
    }

    @Property
    void formatThenParseRoundTrips(@ForAll("tokenMaps") Map<String, String> tokens) {
        ServiceTokensFile.Parsed p = ServiceTokensFile.parseStrict(ServiceTokensFile.format(tokens));
        assertThat(p.tokens()).isEqualTo(new TreeMap<>(tokens));
        assertThat(p.problems()).isEmpty();
    }

    @Property
    void neverThrowsAndNeverLosesAGoodLine(@ForAll List<@net.jqwik.api.constraints.StringLength(max = 60) String> garbage) {
        List<String> lines = new ArrayList<>(garbage);
        lines.add(0, "elastic/kibana/keep:" + HASH);
        ServiceTokensFile.Parsed p = ServiceTokensFile.parse(lines);
        // a later garbage line can only override the key if it names it exactly
        boolean overridden = garbage.stream().anyMatch(g -> !g.startsWith("#") && g.trim().startsWith("elastic/kibana/keep:"));
        if (!overridden) {
            assertThat(p.tokens()).containsEntry("elastic/kibana/keep", HASH);
        }
        p.problems().forEach(pr -> assertThat(pr.lineNumber()).isBetween(1, lines.size()));
    }
}
