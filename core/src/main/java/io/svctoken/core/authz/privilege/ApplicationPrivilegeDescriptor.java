package io.svctoken.core.authz.privilege;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * A stored application privilege ({@code PUT /_security/privilege}): a name within an application and the actions
 * it grants ({@code data:read/*}, {@code action:login}); the metadata is the user's, kept as given.
 */
public record ApplicationPrivilegeDescriptor(String application, String name, List<String> actions, ObjectNode metadata) {

    public ApplicationPrivilegeDescriptor {
        actions = List.copyOf(actions);
        metadata = metadata == null ? JsonNodeFactory.instance.objectNode() : metadata.deepCopy();
    }

    @Override
    public ObjectNode metadata() {
        return metadata.deepCopy();
    }
}
