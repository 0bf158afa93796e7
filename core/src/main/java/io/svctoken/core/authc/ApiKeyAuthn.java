package io.svctoken.core.authc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.account.RoleDescriptor;

import java.util.List;

/**
 * A request authenticated with an API key ({@code Authorization: ApiKey ...}). The user is the key's
 * owner as recorded at creation ({@code creator}); authorization uses the key's role descriptors
 * limited by the owner's descriptors captured at creation ({@code limited_by_role_descriptors}).
 *
 * @param ownerRealm      the realm the owner came from when the key was created ({@code creator.realm}/{@code realm_type})
 * @param creator         Elasticsearch's {@code creator} object (full_name, email, metadata of the owner)
 * @param roleDescriptors the key's own descriptors; empty = the owner's privileges (as limited by {@code limitedBy})
 */
public record ApiKeyAuthn(String id, String name, String owner, RealmRef ownerRealm, ObjectNode creator,
                          List<RoleDescriptor> roleDescriptors, List<RoleDescriptor> limitedBy) implements Authentication {

    /** The realm name and type of every API key authentication. */
    public static final String REALM = "_es_api_key";
    public static final RealmRef REALM_REF = new RealmRef(REALM, REALM);

    public ApiKeyAuthn {
        roleDescriptors = List.copyOf(roleDescriptors);
        limitedBy = List.copyOf(limitedBy);
        creator = creator.deepCopy();
    }

    @Override
    public String principal() {
        return owner;
    }

    @Override
    public RealmRef effectiveRealm() {
        return REALM_REF;
    }

    /** A copy of Elasticsearch's {@code creator} object as stored with the key. */
    @Override
    public ObjectNode creator() {
        return creator.deepCopy();
    }
}
