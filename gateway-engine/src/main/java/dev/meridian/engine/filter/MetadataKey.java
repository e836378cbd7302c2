package dev.meridian.engine.filter;

import java.util.Objects;

/**
 * A typed key of a request's filter metadata: filters that share data share the key constant.
 * Keys compare by identity (a lookup is a reference comparison), so create each once, in a
 * {@code static final} field.
 *
 * @param <T> the type of the value stored under the key
 */
public final class MetadataKey<T> {

    private final String name;
    private final Class<T> type;

    private MetadataKey(String name, Class<T> type) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
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
