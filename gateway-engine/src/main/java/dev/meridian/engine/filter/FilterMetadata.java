package dev.meridian.engine.filter;

import java.util.Arrays;

/**
 * The small key/value store through which a request's filters pass data along, keyed by
 * {@link MetadataKey} identity.
 *
 * <p>Values sit in an array indexed by the key's dense id ({@link MetadataKey}), so a lookup is a
 * bounds compare and one load whatever the number of entries (a linear scan of six keys cost
 * about as much as a {@code HashMap.get}; see {@code bench/.../filter/MetadataBenchmark}). The
 * array grows on demand to the highest id stored, at most {@link #MAX_INDEXED_KEYS} slots, and
 * stays for the connection's next request; the ids stored are listed in a small {@code int[]}, so
 * {@link #clear()} touches only the entries the request made. Keys created after the indexed ids
 * ran out (keys made at run time rather than in constants) keep working through a linear scan of
 * a second, key/value array.
 *
 * <p>Not thread-safe: it belongs to one exchange on its event loop.
 */
public final class FilterMetadata {

    /** Entries a request may store before the list of stored ids first grows. */
    public static final int DEFAULT_CAPACITY = 8;
    /**
     * Keys that get an array slot (ids 0 to this, exclusive): far more than the keys a process's
     * filters declare; bounds the value array at 1,024 references (4 KiB) per connection.
     */
    public static final int MAX_INDEXED_KEYS = 1024;
    /** Slots of the value array before it first grows: the keys of a typical process. */
    private static final int INITIAL_SLOTS = 32;

    /** Values by key id; null where no value is stored. */
    private Object[] values = new Object[INITIAL_SLOTS];
    /** The ids with a value in {@link #values}, in no particular order; the first {@link #indexed} count. */
    private int[] stored = new int[DEFAULT_CAPACITY];
    private int indexed;
    /** {@code key0, value0, key1, value1, …} for unindexed keys; allocated on first use. */
    private Object[] unindexed;
    private int scanned;

    /** The value stored under {@code key}, or null. */
    @SuppressWarnings("unchecked")
    public <T> T get(MetadataKey<T> key) {
        int id = key.id;
        Object[] v = values;
        // Unindexed keys have an id beyond the array's largest size, so they always take the slow path.
        return id < v.length ? (T) v[id] : (T) getUnindexed(key);
    }

    /** Stores {@code value} under {@code key}, replacing what was there; a null value removes the entry. */
    public <T> void put(MetadataKey<T> key, T value) {
        if (value == null) {
            remove(key);
            return;
        }
        if (!key.type().isInstance(value)) {
            throw new IllegalArgumentException("value for " + key + ": " + value.getClass().getName()
                    + " (expected: " + key.type().getName() + ")");
        }
        int id = key.id;
        if (id == MetadataKey.UNINDEXED) {
            putUnindexed(key, value);
            return;
        }
        Object[] v = values;
        if (id >= v.length) {
            // Once per connection and key range, not per request: the array is kept.
            v = values = Arrays.copyOf(v, Math.min(MAX_INDEXED_KEYS, Math.max(id + 1, v.length * 2)));
        }
        if (v[id] == null) {
            if (indexed == stored.length) {
                stored = Arrays.copyOf(stored, indexed * 2);
            }
            stored[indexed++] = id;
        }
        v[id] = value;
    }

    /** Removes the entry of {@code key}; returns whether there was one. */
    public boolean remove(MetadataKey<?> key) {
        int id = key.id;
        if (id == MetadataKey.UNINDEXED) {
            return removeUnindexed(key);
        }
        if (id >= values.length || values[id] == null) {
            return false;
        }
        values[id] = null;
        for (int i = 0; i < indexed; i++) {
            if (stored[i] == id) {
                // Order carries no meaning: move the last id into the hole.
                stored[i] = stored[--indexed];
                break;
            }
        }
        return true;
    }

    /** Entries stored now. */
    public int size() {
        return indexed + scanned;
    }

    /** Removes every entry (dropping the references), keeping the arrays. */
    public void clear() {
        Object[] v = values;
        int[] ids = stored;
        for (int i = 0, n = indexed; i < n; i++) {
            v[ids[i]] = null;
        }
        indexed = 0;
        if (scanned > 0) {
            Arrays.fill(unindexed, 0, scanned * 2, null);
            scanned = 0;
        }
    }

    // ---- keys beyond MAX_INDEXED_KEYS: a linear scan by identity -------------------------------

    private Object getUnindexed(MetadataKey<?> key) {
        int at = indexOfUnindexed(key);
        return at < 0 ? null : unindexed[at + 1];
    }

    private void putUnindexed(MetadataKey<?> key, Object value) {
        int at = indexOfUnindexed(key);
        if (at >= 0) {
            unindexed[at + 1] = value;
            return;
        }
        int slot = scanned * 2;
        if (unindexed == null) {
            unindexed = new Object[DEFAULT_CAPACITY * 2];
        } else if (slot == unindexed.length) {
            unindexed = Arrays.copyOf(unindexed, unindexed.length * 2);
        }
        unindexed[slot] = key;
        unindexed[slot + 1] = value;
        scanned++;
    }

    private boolean removeUnindexed(MetadataKey<?> key) {
        int at = indexOfUnindexed(key);
        if (at < 0) {
            return false;
        }
        scanned--;
        int last = scanned * 2;
        unindexed[at] = unindexed[last];
        unindexed[at + 1] = unindexed[last + 1];
        unindexed[last] = null;
        unindexed[last + 1] = null;
        return true;
    }

    private int indexOfUnindexed(MetadataKey<?> key) {
        for (int i = 0, n = scanned * 2; i < n; i += 2) {
            if (unindexed[i] == key) {
                return i;
            }
        }
        return -1;
    }
}
