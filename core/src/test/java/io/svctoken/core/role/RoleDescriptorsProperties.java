package io.svctoken.core.role;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.account.RoleDescriptor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The role API body parser on arbitrary input: whatever arrives, the answer is a role or a
 * {@link RoleParseException} (Elasticsearch's 400) — never another exception, which the server would
 * turn into a 500. Bodies are built from the role format's own field names so that deep paths get
 * exercised, not only the first check.
 */
class RoleDescriptorsProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final List<String> FIELDS = List.of("cluster", "indices", "applications", "run_as", "metadata", "transient_metadata",
            "names", "privileges", "field_security", "grant", "except", "query", "allow_restricted_indices", "global", "remote_indices",
            "remote_cluster", "clusters", "description", "restriction", "workflows", "application", "resources", "profile", "manage",
            "write", "x", "_reserved");

    @Property(tries = 3000)
    void structuredBodiesGiveARoleOrAnElasticsearchError(@ForAll("bodies") JsonNode body) throws Exception {
        String kind = outcome(JSON.writeValueAsString(body));
        net.jqwik.api.statistics.Statistics.collect(kind);
        // the generator must reach both sides, or the property proves little
        net.jqwik.api.statistics.Statistics.coverage(c -> {
            c.check("role").count(n -> n > 0);
            c.check(RoleParseException.Type.PARSE_EXCEPTION.toString()).count(n -> n > 0);
        });
    }

    @Property(tries = 2000)
    void arbitraryTextGivesARoleOrAnElasticsearchError(@ForAll("texts") String body) {
        outcome(body);
    }

    private static String outcome(String body) {
        try {
            RoleDescriptor r = RoleDescriptors.parseApiBody("prop_role", body);
            assertThat(r.name()).isEqualTo("prop_role");
            return "role";
        } catch (RoleParseException expected) {
            assertThat(expected.getMessage()).isNotBlank();
            assertThat(expected.type()).isNotNull();
            return expected.type().toString();
        }
    }

    @Provide
    Arbitrary<JsonNode> bodies() {
        return value(3).map(v -> {
            if (v.isObject()) {
                return v;
            }
            ObjectNode o = F.objectNode();
            o.set("cluster", v);
            return o;
        });
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withChars("{}[]\":,tfnul0123 -.eE\\").ofMaxLength(40),
                Arbitraries.of("{", "{}", "[]", "null", "{\"cluster\":", "{\"indices\":[{\"names\":", "{\"a\":1}{\"b\":2}", "\u0000"));
    }

    private static Arbitrary<JsonNode> value(int depth) {
        Arbitrary<JsonNode> scalar = Arbitraries.oneOf(
                Arbitraries.of(FIELDS).map(s -> (JsonNode) F.textNode(s)),
                Arbitraries.strings().ofMaxLength(8).map(s -> (JsonNode) F.textNode(s)),
                Arbitraries.of("all", "read", "monitor", "manage_security", "*", "index-*", "").map(s -> (JsonNode) F.textNode(s)),
                Arbitraries.integers().between(-2, 2).map(i -> (JsonNode) F.numberNode(i)),
                Arbitraries.of(true, false).map(b -> (JsonNode) F.booleanNode(b)),
                Arbitraries.just(F.nullNode()));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<JsonNode> array = value(depth - 1).list().ofMaxSize(3).map(items -> {
            ArrayNode a = F.arrayNode();
            items.forEach(a::add);
            return a;
        });
        Arbitrary<JsonNode> object = Arbitraries.maps(Arbitraries.of(FIELDS), value(depth - 1)).ofMaxSize(4).map(m -> {
            ObjectNode o = F.objectNode();
            m.forEach(o::set);
            return o;
        });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, scalar), net.jqwik.api.Tuple.of(3, array), net.jqwik.api.Tuple.of(4, object));
    }
}
