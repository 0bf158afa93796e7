package io.svctoken.server.client;

import co.elastic.clients.elasticsearch.security.BulkUpdateApiKeysResponse;
import co.elastic.clients.elasticsearch.security.CreateApiKeyResponse;
import co.elastic.clients.elasticsearch.security.CreateCrossClusterApiKeyResponse;
import co.elastic.clients.elasticsearch.security.GrantApiKeyResponse;
import co.elastic.clients.elasticsearch.security.grant_api_key.ApiKeyGrantType;
import co.elastic.clients.elasticsearch.security.QueryApiKeysResponse;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.security.UpdateApiKeyResponse;
import co.elastic.clients.json.JsonData;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** The official Java client's API-key methods beyond create/get/invalidate against a real node, decoded strictly. */
class OfficialClientApiKeysTest extends OfficialClientBase {

    @Test
    void updateAndBulkUpdate() throws IOException {
        CreateApiKeyResponse a = elastic.security().createApiKey(b -> b.name("client-a").metadata("v", JsonData.of(1)));
        CreateApiKeyResponse b = elastic.security().createApiKey(c -> c.name("client-b"));
        UpdateApiKeyResponse one = elastic.security().updateApiKey(u -> u.id(a.id()).metadata("v", JsonData.of(2))
                .roleDescriptors("narrow", r -> r.cluster("monitor")).expiration(e -> e.time("1d")));
        assertThat(one.updated()).isTrue();
        assertThat(elastic.security().updateApiKey(u -> u.id(a.id()).metadata("v", JsonData.of(2))).updated()).isFalse();

        BulkUpdateApiKeysResponse bulk = elastic.security().bulkUpdateApiKeys(u -> u.ids(a.id(), b.id(), "missing")
                .metadata("v", JsonData.of(2)));
        assertThat(bulk.updated()).containsExactly(b.id());
        assertThat(bulk.noops()).containsExactly(a.id());
        assertThat(bulk.errors().count()).isEqualTo(1);
        assertThat(bulk.errors().details().get("missing").type()).isEqualTo("resource_not_found_exception");
        assertThat(bulk.errors().details().get("missing").reason()).isEqualTo("no API key owned by requesting user found for ID [missing]");
    }

    @Test
    void queryApiKeys() throws IOException {
        CreateApiKeyResponse a = elastic.security().createApiKey(b -> b.name("queried-a").metadata("team", JsonData.of("blue")));
        elastic.security().createApiKey(b -> b.name("queried-b").metadata("team", JsonData.of("red")));
        QueryApiKeysResponse r = elastic.security().queryApiKeys(q -> q
                .query(x -> x.bool(b -> b.must(m -> m.prefix(p -> p.field("name").value("queried-")))
                        .filter(f -> f.term(t -> t.field("metadata.team").value("blue")))))
                .sort(s -> s.field(f -> f.field("creation").order(SortOrder.Desc)))
                .size(5));
        assertThat(r.total()).isEqualTo(1);
        assertThat(r.count()).isEqualTo(1);
        assertThat(r.apiKeys().get(0).id()).isEqualTo(a.id());
        assertThat(r.apiKeys().get(0).name()).isEqualTo("queried-a");
        assertThat(r.apiKeys().get(0).sort()).hasSize(1);
    }

    @Test
    void grantApiKey() throws IOException {
        elastic.security().putUser(u -> u.username("granted").password("granted-pass").roles("viewer"));
        GrantApiKeyResponse r = elastic.security().grantApiKey(g -> g.grantType(ApiKeyGrantType.Password).username("granted")
                .password("granted-pass").apiKey(k -> k.name("granted-key")));
        assertThat(r.name()).isEqualTo("granted-key");
        assertThat(r.encoded()).isNotEmpty();
        assertThat(elastic.security().getApiKey(q -> q.id(r.id())).apiKeys().get(0).username()).isEqualTo("granted");
    }

    @Test
    void crossClusterApiKeys() throws IOException {
        CreateCrossClusterApiKeyResponse created = elastic.security().createCrossClusterApiKey(c -> c.name("cc-client")
                .access(a -> a.search(s -> s.names("logs-*")))
                .metadata("tag", JsonData.of("dev")));
        assertThat(created.name()).isEqualTo("cc-client");
        assertThat(created.encoded()).isNotEmpty();
        assertThat(elastic.security().updateCrossClusterApiKey(u -> u.id(created.id()).access(a -> a.replication(r -> r.names("archive"))))
                .updated()).isTrue();
        var got = elastic.security().getApiKey(g -> g.id(created.id())).apiKeys().get(0);
        assertThat(got.type().jsonValue()).isEqualTo("cross_cluster");
        assertThat(got.access().replication().get(0).names()).containsExactly("archive");
    }
}
