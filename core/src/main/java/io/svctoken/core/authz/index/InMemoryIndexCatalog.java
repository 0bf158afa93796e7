package io.svctoken.core.authz.index;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An {@link IndexCatalog} over a fixed list of entries (a snapshot the gateway swaps whole, and tests). */
public final class InMemoryIndexCatalog implements IndexCatalog {

    private final Map<String, Entry> byName = new LinkedHashMap<>();

    public InMemoryIndexCatalog(List<Entry> entries) {
        for (Entry e : entries) {
            byName.put(e.name(), e);
        }
    }

    @Override
    public Collection<Entry> entries() {
        return Collections.unmodifiableCollection(byName.values());
    }

    @Override
    public Optional<Entry> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }
}
