package io.svctoken.core.authz.index;

import io.svctoken.core.account.RoleDescriptor;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * Each role descriptor's compiled index groups, kept as long as the descriptor is. The key is the descriptor
 * object itself (identity: {@link RoleDescriptor} does not define equality), which is immutable: a role changed
 * or deleted anywhere (role APIs, the roles file, an API key read again after its cache entry was invalidated)
 * is a new descriptor object, so the next request compiles the new one and nothing here can outlive a change.
 * Entries go when their descriptor is no longer referenced.
 */
final class CompiledGroups {

    private static final Map<RoleDescriptor, IndexPermission.Groups> BY_DESCRIPTOR = new WeakHashMap<>();

    private CompiledGroups() {
    }

    static IndexPermission.Groups of(RoleDescriptor rd) {
        synchronized (BY_DESCRIPTOR) {
            IndexPermission.Groups hit = BY_DESCRIPTOR.get(rd);
            if (hit != null) {
                return hit;
            }
        }
        // compiled outside the lock (a regexp may take a while); two threads compiling the same one both get equal groups
        IndexPermission.Groups compiled = IndexPermission.compile(rd);
        synchronized (BY_DESCRIPTOR) {
            BY_DESCRIPTOR.putIfAbsent(rd, compiled);
            return BY_DESCRIPTOR.get(rd);
        }
    }
}
