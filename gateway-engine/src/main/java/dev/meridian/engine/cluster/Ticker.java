package dev.meridian.engine.cluster;

/**
 * The monotonic time source of resilience state machines (outlier detection, health checking),
 * injected so tests advance time by hand instead of sleeping.
 */
@FunctionalInterface
public interface Ticker {

    /** Monotonic nanoseconds, comparable only with other readings of the same ticker. */
    long nanos();

    /** {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }
}
