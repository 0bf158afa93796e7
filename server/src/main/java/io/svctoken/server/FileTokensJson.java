package io.svctoken.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.account.BuiltinServiceAccounts;
import io.svctoken.core.account.ServiceAccount;
import io.svctoken.core.store.FileServiceAccountTokenStore;
import io.svctoken.server.http.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * A node's file token names as it publishes them in the node registry ({@code nodes.file_tokens}):
 * {@code {"namespace/service": ["name", ...]}}, accounts without tokens left out. Names only, never a hash.
 */
final class FileTokensJson {

    private FileTokensJson() {
    }

    static String of(FileServiceAccountTokenStore file, BuiltinServiceAccounts accounts) {
        ObjectNode o = Json.object();
        for (ServiceAccount a : accounts.all()) {
            List<String> names = file.tokenNames(a.id());
            if (!names.isEmpty()) {
                names.forEach(o.putArray(a.id().asPrincipal())::add);
            }
        }
        return o.toString();
    }

    /** The names of {@code principal} in such a text; none when it cannot be read. */
    static List<String> names(String json, String principal) {
        List<String> out = new ArrayList<>();
        try {
            JsonNode names = Json.MAPPER.readTree(json).path(principal);
            names.forEach(n -> out.add(n.asText()));
        } catch (Exception e) {
            return List.of();
        }
        return out;
    }
}
