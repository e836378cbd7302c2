package dev.meridian.engine.limit;

import java.util.concurrent.TimeUnit;

/** A {@link Ticker} that moves only when a test advances it. */
final class ManualTicker implements Ticker {

    // Start far from zero so code that wrongly treats 0 as "unset" or ignores overflow shows up.
    private long now = Long.MAX_VALUE - TimeUnit.HOURS.toNanos(1);

    @Override
    public long read() {
        return now;
    }

    ManualTicker advance(long amount, TimeUnit unit) {
        now += unit.toNanos(amount);
        return this;
    }
}
