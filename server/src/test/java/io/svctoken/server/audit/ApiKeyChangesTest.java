package io.svctoken.server.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.server.http.Json;
import io.svctoken.core.role.RoleDescriptors;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The security_config_change objects of API-key updates, in Elasticsearch's audit shape. */
class ApiKeyChangesTest {

    @Test
    void anUpdateNamesWhatItGivesAndAlwaysItsExpiration() throws Exception {
        assertThat(Changes.updateApiKey("k1", null, null, null).object().toString())
                .isEqualTo("{\"apikey\":{\"id\":\"k1\",\"type\":\"rest\",\"expiration\":null}}");
        ObjectNode metadata = (ObjectNode) Json.MAPPER.readTree("{}");
        // descriptors carry no name (Elasticsearch's audit writes a descriptor's privileges only); empty metadata is kept
        assertThat(Changes.updateApiKeys(List.of("a", "b"), List.of(RoleDescriptors.parseApiBody("r1", "{\"cluster\":[\"monitor\"]}")),
                metadata, "1d").object().toString()).isEqualTo("{\"apikeys\":{\"ids\":[\"a\",\"b\"],\"type\":\"rest\",\"role_descriptors\":"
                + "[{\"cluster\":[\"monitor\"],\"indices\":[],\"applications\":[],\"run_as\":[]}],\"metadata\":{},\"expiration\":\"1d\"}}");
    }

    @Test
    void aGrantIsTheCreationAndTheGrantWithoutItsSecrets() {
        assertThat(Changes.grantApiKey("k1", "n", null, List.of(), null, "password", "bob", true, false, "alice").object().toString())
                .isEqualTo("{\"apikey\":{\"id\":\"k1\",\"name\":\"n\",\"type\":\"rest\",\"expiration\":null,\"role_descriptors\":[]},"
                        + "\"grant\":{\"type\":\"password\",\"user\":{\"name\":\"bob\",\"has_password\":true},\"run_as\":\"alice\"}}");
        assertThat(Changes.grantApiKey("k1", "n", "1d", List.of(), null, "access_token", null, false, true, null).object().toString())
                .endsWith("\"grant\":{\"type\":\"access_token\",\"has_access_token\":true}}");
    }
}
