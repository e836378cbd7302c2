package dev.meridian.engine.cluster.outlier;

import dev.meridian.engine.cluster.EjectionReason;
import dev.meridian.engine.cluster.Ejection;
import dev.meridian.engine.cluster.Endpoint;
import dev.meridian.engine.cluster.EndpointState;
import dev.meridian.engine.cluster.Ticker;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * An {@link OutlierDetector} of Envoy's consecutive-5xx and consecutive-gateway-failure kinds.
 *
 * <p>Per endpoint, a lock-free state machine over {@link EndpointState}:
 * <pre>
 *   in service --run reaches threshold, share allows--> ejected (record: reason, until, count+1)
 *   ejected    --sweep at or after until-->             in service (runs reset, record kept)
 *   in service --sweep, one base time since until-->    in service, count - 1 (forgiveness)
 * </pre>
 * Reports are one atomic increment (or a plain read for a success after a success). Deciding an
 * ejection is rare and needs the number already ejected, so it is serialised by a try-flag: a
 * loop that loses the flag leaves its run at the threshold and the next failure tries again.
 */
final class ConsecutiveFailureDetector implements OutlierDetector {

    private static final long MS = 1_000_000L;

    private final Ticker ticker;
    private final AtomicBoolean deciding = new AtomicBoolean();
    private final LongAdder ejected5xx = new LongAdder();
    private final LongAdder ejectedGateway = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private volatile View view;

    /** Settings and endpoints published together, so a reload swaps both at once. */
    private record View(OutlierConfig config, Endpoint[] endpoints) {
    }

    ConsecutiveFailureDetector(OutlierConfig config, List<Endpoint> endpoints, Ticker ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        reconfigure(config, endpoints);
    }

    @Override
    public void reconfigure(OutlierConfig config, List<Endpoint> endpoints) {
        View v = new View(Objects.requireNonNull(config, "config"), endpoints.toArray(new Endpoint[0]));
        this.view = v;
        if (!config.enabled()) {
            // Turning detection off must not strand endpoints it ejected.
            for (Endpoint e : v.endpoints) {
                e.state().setEjected(false);
                e.state().resetFailures();
            }
        }
    }

    @Override
    public void onResponse(Endpoint endpoint, int status) {
        if (status < 500) {
            endpoint.state().resetFailures();
            return;
        }
        View v = view;
        if (!v.config.enabled()) {
            return;
        }
        EndpointState s = endpoint.state();
        if (s.ejected()) {
            return; // a straggler from before the ejection; the runs restart when it returns
        }
        int run5xx = s.increment5xx();
        if (status == 502 || status == 503 || status == 504) {
            int runGateway = s.incrementGatewayFailures();
            if (reached(runGateway, v.config.consecutiveGatewayFailure())) {
                tryEject(v, s, EjectionReason.CONSECUTIVE_GATEWAY_FAILURE);
                return;
            }
        }
        if (reached(run5xx, v.config.consecutive5xx())) {
            tryEject(v, s, EjectionReason.CONSECUTIVE_5XX);
        }
    }

    @Override
    public void onGatewayFailure(Endpoint endpoint, GatewayFailure kind) {
        View v = view;
        if (!v.config.enabled()) {
            return;
        }
        EndpointState s = endpoint.state();
        if (s.ejected()) {
            return;
        }
        // As in Envoy without split local-origin errors, a gateway failure is also a 5xx (503/504).
        int run5xx = s.increment5xx();
        int runGateway = s.incrementGatewayFailures();
        if (reached(runGateway, v.config.consecutiveGatewayFailure())) {
            tryEject(v, s, EjectionReason.CONSECUTIVE_GATEWAY_FAILURE);
        } else if (reached(run5xx, v.config.consecutive5xx())) {
            tryEject(v, s, EjectionReason.CONSECUTIVE_5XX);
        }
    }

    @Override
    public void onSuccess(Endpoint endpoint) {
        endpoint.state().resetFailures();
    }

    private static boolean reached(int run, int threshold) {
        return threshold > 0 && run >= threshold;
    }

    private void tryEject(View v, EndpointState s, EjectionReason reason) {
        if (!deciding.compareAndSet(false, true)) {
            return;
        }
        try {
            if (s.ejected()) {
                return;
            }
            int ejectedNow = countEjected(v.endpoints);
            // Envoy: at most max_ejection_percent of the cluster, but at least one endpoint.
            if (ejectedNow > 0 && (ejectedNow + 1) * 100L > (long) v.config.maxEjectionPercent() * v.endpoints.length) {
                skipped.increment();
                return;
            }
            long now = ticker.nanos();
            Ejection previous = s.ejection();
            int count = previous == null ? 1 : previous.count() + 1;
            long base = v.config.baseEjectionTimeMs() * MS;
            long cap = Math.max(base, v.config.maxEjectionTimeMs() * MS);
            long duration = Math.min(cap, base * count);
            // in service → ejected: publish the record first so a sweep that sees the flag sees its time.
            if (!s.compareAndSetEjection(previous, new Ejection(reason, now, now + duration, count))) {
                return;
            }
            s.setEjected(true);
            s.resetFailures();
            (reason == EjectionReason.CONSECUTIVE_5XX ? ejected5xx : ejectedGateway).increment();
        } finally {
            deciding.set(false);
        }
    }

    @Override
    public int sweep() {
        View v = view;
        long now = ticker.nanos();
        long base = v.config.baseEjectionTimeMs() * MS;
        int returned = 0;
        for (Endpoint e : v.endpoints) {
            EndpointState s = e.state();
            Ejection rec = s.ejection();
            if (rec == null) {
                continue;
            }
            if (s.ejected()) {
                if (now - rec.untilNanos() >= 0) {
                    // ejected → in service: its time is up. Runs restart from zero.
                    s.resetFailures();
                    if (s.setEjected(false)) {
                        returned++;
                    }
                }
            } else if (rec.count() > 0 && now - rec.untilNanos() >= base) {
                // in service for one base time → forgive one ejection, so the next one is shorter.
                s.compareAndSetEjection(rec, new Ejection(rec.reason(), rec.atNanos(), rec.untilNanos() + base,
                        rec.count() - 1));
            }
        }
        return returned;
    }

    private static int countEjected(Endpoint[] endpoints) {
        int n = 0;
        for (Endpoint e : endpoints) {
            if (e.state().ejected()) {
                n++;
            }
        }
        return n;
    }

    @Override
    public int ejectedCount() {
        return countEjected(view.endpoints);
    }

    @Override
    public long ejections(EjectionReason reason) {
        return (reason == EjectionReason.CONSECUTIVE_5XX ? ejected5xx : ejectedGateway).sum();
    }

    @Override
    public long ejectionsSkippedByMaxPercent() {
        return skipped.sum();
    }

    @Override
    public OutlierConfig config() {
        return view.config;
    }
}
