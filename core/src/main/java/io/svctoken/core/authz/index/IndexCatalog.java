package io.svctoken.core.authz.index;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The upstream's index, alias and data-stream names with the flags wildcard resolution needs. The gateway
 * fills it from the upstream's {@code GET /_resolve/index/*?expand_wildcards=all}.
 */
public interface IndexCatalog {

    enum Kind {
        INDEX, ALIAS, DATA_STREAM
    }

    /**
     * One name.
     *
     * @param members    an alias's indices, a data stream's backing indices; empty for an index
     * @param dataStream for a backing index, its data stream; else null
     */
    record Entry(String name, Kind kind, boolean hidden, boolean closed, boolean system, List<String> members, String dataStream) {

        public Entry {
            members = List.copyOf(members);
        }

        public static Entry index(String name) {
            return new Entry(name, Kind.INDEX, false, false, false, List.of(), null);
        }
    }

    Collection<Entry> entries();

    Optional<Entry> find(String name);

    /** A catalog that knows no names. */
    static IndexCatalog empty() {
        return new InMemoryIndexCatalog(List.of());
    }
}
