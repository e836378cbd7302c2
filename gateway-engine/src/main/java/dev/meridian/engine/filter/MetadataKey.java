package dev.meridian.engine.filter;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A typed key of a request's filter metadata: filters that share data share the key constant.
 * Keys compare by identity, so create each once, in a {@code static final} field.
 *
 * <p>The first {@link FilterMetadata#MAX_INDEXED_KEYS} keys created in the process get a dense
 * id (a process-wide counter), and {@link FilterMetadata} stores their values in an array indexed
 * by it: a lookup is one array load. Ids are never reused, which is another reason keys belong in
 * constants: keys made per request or per config reload still work, but once the ids run out
 * later keys are found by a linear scan, and an array indexed by many ids costs memory in every
 * connection that uses them.
 *
 * @param <T> the type of the value stored under the key
 */
public final class MetadataKey<T> {

    /** The id of keys created after the indexed ones: their values are scanned for. */
    static final int UNINDEXED = FilterMetadata.MAX_INDEXED_KEYS;
    /** Saturates at {@link #UNINDEXED}, so ids never wrap around onto the indexed range. */
    private static final AtomicInteger NEXT_ID = new AtomicInteger();

    private final String name;
    private final Class<T> type;
    /** Dense, from 0 in creation order: the index of this key's value in {@link FilterMetadata}; or {@link #UNINDEXED}. */
    final int id;

    private MetadataKey(String name, Class<T> type) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.id = NEXT_ID.getAndUpdate(n -> n < UNINDEXED ? n + 1 : n);
    }

    /** A new key; {@code name} is for logs and debugging only (two keys of one name are distinct). */
    public static <T> MetadataKey<T> of(String name, Class<T> type) {
        return new MetadataKey<>(name, type);
    }

    public String name() {
        return name;
    }

    public Class<T> type() {
        return type;
    }

    @Override
    public String toString() {
        return "MetadataKey(" + name + ": " + type.getSimpleName() + ')';
    }
}
