package io.svctoken.server.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class OpenSearchUpstreamTest {

    @RegisterExtension
    static final OpenSearchUpstream OS = new OpenSearchUpstream();

    @Test
    void aRealOpenSearchNodeAnswersOverHttp() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(OS.url() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"distribution\" : \"opensearch\"").contains("2.19.6");
        System.out.println("OpenSearch upstream started in " + OS.startMillis() + " ms");
    }
}
