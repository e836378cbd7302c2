package dev.meridian.engine.limit;

/**
 * A source of monotonic nanoseconds for limits and deadlines; production code reads an event
 * loop's {@link LoopClock}, tests advance a hand-driven ticker.
 */
@FunctionalInterface
public interface Ticker {

    /** Nanoseconds on an arbitrary origin, like {@link System#nanoTime()}; only differences mean anything. */
    long read();

    /** {@link System#nanoTime()} itself, for code off the event loops. */
    static Ticker system() {
        return System::nanoTime;
    }
}
