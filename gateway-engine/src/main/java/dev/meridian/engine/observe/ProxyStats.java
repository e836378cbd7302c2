package dev.meridian.engine.observe;

import java.util.concurrent.atomic.LongAdder;

/**
 * The engine's process-wide traffic counters, striped so event loops never contend on them.
 *
 * <p>Admin reads them for {@code /stats} and binds them to Micrometer; the hot path only ever
 * calls {@code increment()} on a field resolved at compile time.
 */
public final class ProxyStats {

    public final LongAdder downstreamConnectionsTotal = new LongAdder();
    public final LongAdder downstreamConnectionsActive = new LongAdder();
    public final LongAdder requestsTotal = new LongAdder();
    public final LongAdder requestsActive = new LongAdder();
    public final LongAdder responses1xx = new LongAdder();
    public final LongAdder responses2xx = new LongAdder();
    public final LongAdder responses3xx = new LongAdder();
    public final LongAdder responses4xx = new LongAdder();
    public final LongAdder responses5xx = new LongAdder();
    /** Requests the decoder rejected (bad framing, limits): hostile or broken clients. */
    public final LongAdder requestsRejected = new LongAdder();
    public final LongAdder upstreamConnectionsOpened = new LongAdder();
    public final LongAdder upstreamConnectFailures = new LongAdder();
    public final LongAdder upstreamTimeouts = new LongAdder();
    public final LongAdder upstreamProtocolErrors = new LongAdder();
    public final LongAdder upstreamRetries = new LongAdder();

    /** Counts one response sent downstream by its status class. */
    public void countResponse(int status) {
        switch (status / 100) {
            case 1 -> responses1xx.increment();
            case 2 -> responses2xx.increment();
            case 3 -> responses3xx.increment();
            case 4 -> responses4xx.increment();
            default -> responses5xx.increment();
        }
    }
}
