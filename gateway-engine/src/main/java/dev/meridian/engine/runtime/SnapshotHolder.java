package dev.meridian.engine.runtime;

/**
 * Holds the current {@link RuntimeSnapshot} in one volatile reference: readers take it once per
 * request (a plain volatile load), the config thread publishes a new one with a single store.
 */
public final class SnapshotHolder {

    private volatile RuntimeSnapshot current;

    public RuntimeSnapshot get() {
        return current;
    }

    public void set(RuntimeSnapshot snapshot) {
        current = snapshot;
    }
}
