package io.svctoken.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FilterPathTest {

    private static JsonNode json(String s) throws Exception {
        return Json.MAPPER.readTree(s);
    }

    private static final String CREDS = "{\"service_account\":\"elastic/kibana\",\"count\":2,\"tokens\":{\"a\":{},\"b\":{}},"
            + "\"nodes_credentials\":{\"_nodes\":{\"total\":1,\"successful\":1,\"failed\":0},\"file_tokens\":{\"f\":{\"nodes\":[\"n0\"]}}}}";

    @Test
    void includesExcludesAndWildcards() throws Exception {
        JsonNode c = json(CREDS);
        assertThat(FilterPath.apply("count", c).toString()).isEqualTo("{\"count\":2}");
        assertThat(FilterPath.apply("count,service_account", c).toString()).isEqualTo("{\"service_account\":\"elastic/kibana\",\"count\":2}");
        assertThat(FilterPath.apply("nodes_credentials._nodes.total", c).toString()).isEqualTo("{\"nodes_credentials\":{\"_nodes\":{\"total\":1}}}");
        assertThat(FilterPath.apply("nodes_credentials.*.f", c).toString()).isEqualTo("{\"nodes_credentials\":{\"file_tokens\":{\"f\":{\"nodes\":[\"n0\"]}}}}");
        assertThat(FilterPath.apply("**.nodes", c).toString()).isEqualTo("{\"nodes_credentials\":{\"file_tokens\":{\"f\":{\"nodes\":[\"n0\"]}}}}");
        assertThat(FilterPath.apply("serv*", c).toString()).isEqualTo("{\"service_account\":\"elastic/kibana\"}");
        assertThat(FilterPath.apply("-nodes_credentials,-tokens", c).toString()).isEqualTo("{\"service_account\":\"elastic/kibana\",\"count\":2}");
        assertThat(FilterPath.apply("nodes_credentials.**", c)).isEqualTo(json(CREDS.replace("{\"service_account\":\"elastic/kibana\",\"count\":2,\"tokens\":{\"a\":{},\"b\":{}},", "{")));
        assertThat(FilterPath.apply("nothing.here", c).toString()).isEqualTo("{}");
    }

    @Test
    void arraysAreLookedThrough() throws Exception {
        JsonNode j = json("{\"error\":{\"root_cause\":[{\"type\":\"t\",\"reason\":\"r\"}],\"type\":\"t\"},\"status\":400}");
        assertThat(FilterPath.apply("error.root_cause.type", j).toString()).isEqualTo("{\"error\":{\"root_cause\":[{\"type\":\"t\"}]}}");
    }

    @Property
    void neverThrows(@ForAll String spec) throws Exception {
        FilterPath.apply(spec, json(CREDS));
    }
}
