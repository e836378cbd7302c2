package dev.meridian.engine.cluster;

/**
 * One ejection of an endpoint by outlier detection, kept after the endpoint returns so stats and
 * the dashboard can show the last reason.
 *
 * @param reason      why it was ejected
 * @param atNanos     when, on the detector's {@link Ticker}
 * @param untilNanos  when it may return, on the same ticker
 * @param count       how many times this endpoint has been ejected recently (the multiplier of the
 *                    base ejection time that produced {@code untilNanos})
 */
public record Ejection(EjectionReason reason, long atNanos, long untilNanos, int count) {
}
