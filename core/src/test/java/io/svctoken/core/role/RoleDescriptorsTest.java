package io.svctoken.core.role;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.core.account.CompatibilityVersion;
import io.svctoken.core.account.RoleDescriptor;
import io.svctoken.core.role.RoleParseException.Type;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RoleDescriptorsTest {

    private static RoleParseException refuse(String name, String json) {
        return catchThrowableOfType(RoleParseException.class, () -> RoleDescriptors.parseApiBody(name, json));
    }

    private static String display(String name, String json) {
        return RoleDescriptors.parseApiBody(name, json).toDisplayJson().toString();
    }

    @Test
    void fullBodyComesOutInDisplayOrderWithDefaults() {
        String body = """
                {"description":"My role","run_as":["other"],"metadata":{"version":1},
                 "applications":[{"resources":["*"],"privileges":["read"],"application":"myapp"}],
                 "indices":[{"privileges":["read"],"query":{"match":{"title":"x"}},"field_security":{"except":["secret"],"grant":["*"]},
                             "names":"logs-*"},
                            {"names":["a","b"],"privileges":["all"],"allow_restricted_indices":true}],
                 "cluster":["monitor"],
                 "global":{"profile":{"write":{"applications":["kibana*"]}},"application":{"manage":{"applications":["kibana-*"]}}},
                 "remote_indices":[{"clusters":["c1"],"names":["r"],"privileges":["read"]}],
                 "remote_cluster":[{"clusters":["c1"],"privileges":["monitor_enrich"]}],
                 "transient_metadata":{"enabled":false},
                 "type":"role"}""";
        assertThat(display("my_role", body)).isEqualTo("{\"cluster\":[\"monitor\"],"
                + "\"global\":{\"application\":{\"manage\":{\"applications\":[\"kibana-*\"]}},\"profile\":{\"write\":{\"applications\":[\"kibana*\"]}}},"
                + "\"indices\":[{\"names\":[\"logs-*\"],\"privileges\":[\"read\"],\"field_security\":{\"grant\":[\"*\"],\"except\":[\"secret\"]},"
                + "\"query\":\"{\\\"match\\\":{\\\"title\\\":\\\"x\\\"}}\",\"allow_restricted_indices\":false},"
                + "{\"names\":[\"a\",\"b\"],\"privileges\":[\"all\"],\"allow_restricted_indices\":true}],"
                + "\"applications\":[{\"application\":\"myapp\",\"privileges\":[\"read\"],\"resources\":[\"*\"]}],"
                + "\"run_as\":[\"other\"],\"metadata\":{\"version\":1},\"transient_metadata\":{\"enabled\":true},"
                + "\"remote_indices\":[{\"names\":[\"r\"],\"privileges\":[\"read\"],\"allow_restricted_indices\":false,\"clusters\":[\"c1\"]}],"
                + "\"remote_cluster\":[{\"privileges\":[\"monitor_enrich\"],\"clusters\":[\"c1\"]}],"
                + "\"description\":\"My role\"}");
    }

    @Test
    void emptyBodyObjectGetsAllDefaults() {
        RoleDescriptor rd = RoleDescriptors.parseApiBody("empty", "{}");
        assertThat(rd.name()).isEqualTo("empty");
        assertThat(rd.toDisplayJson().toString()).isEqualTo("{\"cluster\":[],\"indices\":[],\"applications\":[],\"run_as\":[],\"metadata\":{},"
                + "\"transient_metadata\":{\"enabled\":true}}");
        assertThat(display("r", "{\"cluster\":null,\"run_as\":null,\"indices\":[{\"names\":\"i\",\"privileges\":[\"read\"],\"query\":\"\"}]}"))
                .isEqualTo("{\"cluster\":[],\"indices\":[{\"names\":[\"i\"],\"privileges\":[\"read\"],\"allow_restricted_indices\":false}],"
                        + "\"applications\":[],\"run_as\":[],\"metadata\":{},\"transient_metadata\":{\"enabled\":true}}");
    }

    @Test
    void metadataKeysComeOutInHashMapOrderLikeElasticsearch() {
        String body = "{\"metadata\":{\"zeta\":1,\"alpha\":{\"y\":true,\"b\":[{\"k2\":1,\"k1\":2}]},\"mid\":\"x\",\"a1\":null}}";
        JsonNode md = RoleDescriptors.parseApiBody("r", body).toDisplayJson().get("metadata");
        List<String> keys = new ArrayList<>();
        md.fieldNames().forEachRemaining(keys::add);
        Map<String, Object> h = new HashMap<>();
        for (String k : List.of("zeta", "alpha", "mid", "a1")) {
            h.put(k, 1);
        }
        assertThat(keys).containsExactlyElementsOf(h.keySet());
        assertThat(md.get("zeta").asInt()).isEqualTo(1);
        assertThat(md.at("/alpha/b/0/k1").asInt()).isEqualTo(2);
    }

    @Test
    void unknownFieldsAndWrongTypesAreParseExceptions() {
        RoleParseException e = refuse("r1", "{\"clusters\":[\"all\"]}");
        assertThat(e.esType()).isEqualTo("parse_exception");
        assertThat(e.getMessage()).isEqualTo("failed to parse role [r1]. unexpected field [clusters]");
        assertThat(e.status()).isEqualTo(400);

        e = refuse("r1", "{\"cluster\":\"all\"}");
        assertThat(e.esType()).isEqualTo("parse_exception");
        assertThat(e.getMessage()).isEqualTo("failed to parse role [r1]");
        assertThat(e.rootCause().getMessage()).isEqualTo("could not parse [cluster] field. expected a string array but found [VALUE_STRING] value instead");
        assertThat(e.chain()).hasSize(2);

        assertThat(refuse("r1", "{\"run_as\":[\"a\",1]}").rootCause().getMessage())
                .isEqualTo("could not parse [null] field. expected a string array but one of the value in the array is [VALUE_NUMBER]");
        assertThat(refuse("r1", "{\"metadata\":[1]}").getMessage())
                .isEqualTo("expected field [metadata] to be of type object, but found [START_ARRAY] instead");
        assertThat(refuse("r1", "{\"transient_metadata\":true}").getMessage()).isEqualTo("failed to parse role [r1]. unexpected field [transient_metadata]");
        assertThat(refuse("r1", "[]").getMessage()).isEqualTo("failed to parse role [r1]. expected an object but found [START_ARRAY] instead");
        assertThat(refuse("r1", "{\"restriction\":{\"workflows\":[\"x\"]}}").getMessage()).isEqualTo("failed to parse role [r1]. unexpected field [restriction]");
        assertThat(refuse("r1", "{\"description\":5}").getMessage()).isEqualTo("expected field [description] to be of type string, but found [VALUE_NUMBER] instead");
    }

    @Test
    void indicesErrors() {
        String p = "failed to parse indices privileges for role [r]. ";
        assertThat(refuse("r", "{\"indices\":{}}").getMessage())
                .isEqualTo(p + "expected field [indices] value to be an array, but found [START_OBJECT] instead");
        assertThat(refuse("r", "{\"indices\":[\"x\"]}").getMessage())
                .isEqualTo(p + "expected field [null] value to be an array of objects, but found an array element of type [VALUE_STRING]");
        assertThat(refuse("r", "{\"indices\":[{\"privileges\":[\"read\"]}]}").getMessage()).isEqualTo(p + "missing required [names] field");
        assertThat(refuse("r", "{\"indices\":[{\"names\":\"i\"}]}").getMessage()).isEqualTo(p + "missing required [privileges] field");
        assertThat(refuse("r", "{\"indices\":[{\"names\":[],\"privileges\":[\"read\"]}]}").getMessage()).isEqualTo(p + "[names] cannot be an empty array");
        assertThat(refuse("r", "{\"indices\":[{\"names\":5,\"privileges\":[\"read\"]}]}").getMessage())
                .isEqualTo(p + "expected field [names] value to be a string or an array of strings, but found [VALUE_NUMBER] instead");
        assertThat(refuse("r", "{\"indices\":[{\"names\":\"i\",\"privileges\":[\"read\"],\"allow_restricted_indices\":\"yes\"}]}").getMessage())
                .isEqualTo(p + "expected field [allow_restricted_indices] value to be a boolean, but found [VALUE_STRING] instead");
        assertThat(refuse("r", "{\"indices\":[{\"names\":\"i\",\"privileges\":[\"read\"],\"query\":5}]}").getMessage())
                .isEqualTo(p + "expected field [query] value to be null, a string, an array, or an object, but found [VALUE_NUMBER] instead");
        assertThat(refuse("r", "{\"indices\":[{\"names\":\"i\",\"privileges\":[\"read\"],\"fields\":[\"a\"]}]}").getMessage())
                .isEqualTo("[\"fields\": [...]] format has changed for field permissions in role [r], use [\"field_security\": {\"grant\":[...],\"except\":[...]}] instead");
        assertThat(refuse("r", "{\"indices\":[{\"names\":\"i\",\"privileges\":[\"read\"],\"field_security\":{}}]}").getMessage())
                .isEqualTo(p + "\"field_security\" must not be empty.");
        assertThat(refuse("r", "{\"indices\":[{\"names\":\"i\",\"privileges\":[\"read\"],\"field_security\":{\"deny\":[]}}]}").getMessage())
                .isEqualTo(p + "\"field_security\" only accepts options grant and except, but got: deny");
        assertThat(refuse("r", "{\"indices\":[{\"names\":\"i\",\"privileges\":[\"read\"],\"field_security\":{\"grant\":null}}]}").getMessage())
                .isEqualTo(p + "grant must not be null.");
        assertThat(refuse("r", "{\"indices\":[{\"names\":\"i\",\"privileges\":[\"read\"],\"field_security\":[]}]}").getMessage())
                .isEqualTo(p + "expected START_OBJECT but got START_ARRAY in \"field_security\".");
        assertThat(refuse("r", "{\"indices\":[{\"names\":\"i\",\"privileges\":[\"read\"],\"field_security\":{\"except\":[\"a\"]}}]}").getMessage())
                .isEqualTo(p + "field_security requires grant if except is given");
        assertThat(refuse("r", "{\"indices\":[{\"names\":\"i\",\"privileges\":[\"read\"],\"transient_metadata\":1}]}").getMessage())
                .isEqualTo("failed to parse transient metadata for role [r]. expected START_OBJECT but got VALUE_NUMBER in \"transient_metadata\".");
        assertThat(refuse("r", "{\"indices\":[{\"names\":\"i\",\"privileges\":[\"read\"],\"clusters\":[\"c\"]}]}").getMessage())
                .isEqualTo(p + "unexpected field [clusters]");
        RoleParseException empty = refuse("r", "{\"indices\":[{\"names\":\"i\",\"privileges\":[]}]}");
        assertThat(empty.esType()).isEqualTo("illegal_argument_exception");
        assertThat(empty.getMessage()).isEqualTo("indices privileges must define at least one privilege");
        assertThat(refuse("r", "{\"remote_indices\":[{\"names\":\"i\",\"privileges\":[\"read\"]}]}").getMessage())
                .isEqualTo("failed to parse remote indices privileges for role [r]. missing required [clusters] field");
        assertThat(refuse("r", "{\"remote_indices\":[{\"names\":\"i\",\"privileges\":[\"read\"],\"clusters\":[]}]}").getMessage())
                .isEqualTo("the [remote_indices] sub-field [clusters] must refer to at least one cluster alias or cluster alias pattern");
    }

    @Test
    void applicationErrors() {
        String body = "{\"applications\":[{\"application\":\"a\",\"privilege\":[\"x\"],\"resources\":[\"*\"]}]}";
        RoleParseException e = refuse("r", body);
        assertThat(e.esType()).isEqualTo("x_content_parse_exception");
        assertThat(e.getMessage()).isEqualTo("[1:37] [application] unknown field [privilege] did you mean [privileges]?");
        assertThat(refuse("r", "{\"applications\":[{\"zzz\":1}]}").getMessage()).isEqualTo("[1:19] [application] unknown field [zzz]");
        assertThat(refuse("r", "{\"applications\":[{\"application\":[\"a\"]}]}").getMessage())
                .isEqualTo("[1:33] [application] application doesn't support values of type: START_ARRAY");
        assertThat(refuse("r", "{\"applications\":[{\"application\":\"a\",\"privileges\":[\"x\"]}]}").getMessage())
                .isEqualTo("failed to parse application privileges for role [r]. missing required [resources] field");
        assertThat(refuse("r", "{\"applications\":[{\"application\":\"a\",\"resources\":[\"x\"]}]}").getMessage())
                .isEqualTo("failed to parse application privileges for role [r]. missing required [privileges] field");
        assertThat(refuse("r", "{\"applications\":\"x\"}").getMessage())
                .isEqualTo("failed to parse application privileges for role [r]. expected field [applications] value to be an array, but found [VALUE_STRING] instead");
        RoleParseException noName = refuse("r", "{\"applications\":[{\"privileges\":\"x\",\"resources\":\"*\"}]}");
        assertThat(noName.esType()).isEqualTo("illegal_argument_exception");
        assertThat(noName.getMessage()).isEqualTo("application privileges must have an application name");
        assertThat(display("r", "{\"applications\":[{\"application\":\"a\",\"privileges\":\"x\",\"resources\":\"*\"}]}"))
                .contains("\"applications\":[{\"application\":\"a\",\"privileges\":[\"x\"],\"resources\":[\"*\"]}]");
    }

    @Test
    void namesAndRequestValidation() {
        RoleParseException e = refuse("", "{}");
        assertThat(e.esType()).isEqualTo("validation_exception");
        assertThat(e.getMessage()).isEqualTo("Validation Failed: 1: Role names must be at least 1 and no more than 1024 characters. They can contain"
                + " alphanumeric characters (a-z, A-Z, 0-9), spaces, punctuation, and printable symbols in the Basic Latin (ASCII) block."
                + " Leading or trailing whitespace is not allowed.;");
        e = refuse("superuser", "{}");
        assertThat(e.esType()).isEqualTo("action_request_validation_exception");
        assertThat(e.getMessage()).isEqualTo("Validation Failed: 1: Role [superuser] is reserved and may not be used.;");
        e = refuse("r".repeat(600), "{\"metadata\":{\"_secret\":1},\"description\":\"" + "d".repeat(1001) + "\"}");
        assertThat(e.esType()).isEqualTo("action_request_validation_exception");
        assertThat(e.getMessage()).isEqualTo("Validation Failed: 1: Role names must be at least 1 and no more than 507 characters. They can contain"
                + " alphanumeric characters (a-z, A-Z, 0-9), spaces, punctuation, and printable symbols in the Basic Latin (ASCII) block."
                + " Leading or trailing whitespace is not allowed.;2: role descriptor metadata keys may not start with [_];"
                + "3: Role description must be less than 1000 characters.;");
        // the name is checked before the body
        assertThat(refuse(" bad", "{\"nope\":1}").esType()).isEqualTo("validation_exception");
        // reserved roles of the chosen version
        assertThat(catchThrowableOfType(RoleParseException.class, () -> RoleDescriptors.parseApiBody("data_frame_transforms_user", "{}",
                ReservedRoles.forVersion(CompatibilityVersion.V8_19))).esType()).isEqualTo("action_request_validation_exception");
        assertThat(RoleDescriptors.parseApiBody("data_frame_transforms_user", "{}", ReservedRoles.forVersion(CompatibilityVersion.V9)).name())
                .isEqualTo("data_frame_transforms_user");
    }

    @Test
    void bodySyntax() {
        RoleParseException e = refuse("r", "");
        assertThat(e.esType()).isEqualTo("parse_exception");
        assertThat(e.getMessage()).isEqualTo("request body is required");
        e = refuse("r", "{\"cluster\":[\"a\",}");
        assertThat(e.esType()).isEqualTo("x_content_parse_exception");
        assertThat(e.getMessage()).startsWith("[1:17] ");
        e = refuse("r", "{\"cluster\":[],\"cluster\":[]}");
        assertThat(e.esType()).isEqualTo("x_content_parse_exception");
        assertThat(e.getMessage()).contains("Duplicate field 'cluster'");
        assertThatThrownBy(() -> RoleDescriptors.parseApiBody("r", "{\"cluster\":[")).isInstanceOf(RoleParseException.class);
    }

    @Test
    void securityFeatureDetection() {
        assertThat(RoleDescriptors.usesDocumentLevelSecurity(RoleDescriptors.parseApiBody("r",
                "{\"indices\":[{\"names\":\"i\",\"privileges\":[\"read\"],\"query\":\"{}\"}]}").toDisplayJson())).isTrue();
        assertThat(RoleDescriptors.usesFieldLevelSecurity(RoleDescriptors.parseApiBody("r",
                "{\"indices\":[{\"names\":\"i\",\"privileges\":[\"read\"],\"field_security\":{\"grant\":[\"*\"]}}]}").toDisplayJson())).isFalse();
        assertThat(RoleDescriptors.usesFieldLevelSecurity(RoleDescriptors.parseApiBody("r",
                "{\"indices\":[{\"names\":\"i\",\"privileges\":[\"read\"],\"field_security\":{\"grant\":[\"*\"],\"except\":[\"x\"]}}]}").toDisplayJson())).isTrue();
    }

    @Test
    void suggestionsFollowLuceneLevenshtein() {
        assertThat(RoleDescriptorParser.suggest("foo", List.of())).isEmpty();
        assertThat(RoleDescriptorParser.suggest("foo", List.of("bar", "baz"))).isEmpty();
        assertThat(RoleDescriptorParser.suggest("foo", List.of("bar", "fop"))).isEqualTo(" did you mean [fop]?");
        assertThat(RoleDescriptorParser.suggest("foo", List.of("bar", "fop", "fou", "baz"))).isEqualTo(" did you mean any of [fop, fou]?");
    }

    @Test
    void exceptionTypes() {
        assertThat(Type.PARSE_EXCEPTION.esName()).isEqualTo("parse_exception");
        assertThat(new RoleParseException(Type.X_CONTENT_PARSE_EXCEPTION, "m").rootCause().getMessage()).isEqualTo("m");
    }
}
