package dev.meridian.engine.cluster.health;

import dev.meridian.engine.cluster.Endpoint;
import dev.meridian.engine.cluster.EndpointState;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The probe loop of one endpoint, confined to one event loop: connect (and for HTTP send the
 * request and read the status line), decide within the timeout, count, schedule the next probe
 * after the interval plus jitter.
 *
 * <p>Verdict state machine (counters are confined to the loop; the verdict is the endpoint's
 * {@link EndpointState#healthy()}):
 * <pre>
 *   healthy   --unhealthy_threshold failures in a row--> unhealthy
 *   unhealthy --healthy_threshold successes in a row-->  healthy
 * </pre>
 * A success resets the failure run and vice versa.
 */
final class HealthCheckTarget {

    private final EventLoop loop;
    private final Class<? extends Channel> channelType;
    private final HealthCheckConfig config;
    private volatile Endpoint endpoint;
    private volatile boolean stopped;

    // Confined to loop.
    private int successes;
    private int failures;
    private long probes;
    private ScheduledFuture<?> next;
    private Probe inFlight;

    HealthCheckTarget(EventLoop loop, Class<? extends Channel> channelType, Endpoint endpoint, HealthCheckConfig config) {
        this.loop = loop;
        this.channelType = channelType;
        this.endpoint = endpoint;
        this.config = config;
    }

    HealthCheckConfig config() {
        return config;
    }

    /** After a reload: the same address (same state), possibly a new {@link Endpoint} object. */
    void retarget(Endpoint e) {
        this.endpoint = e;
    }

    void start(long initialDelayMs) {
        loop.execute(() -> schedule(initialDelayMs));
    }

    /**
     * Stops probing; with {@code resetHealthy} marks the endpoint healthy, on the loop, after any
     * probe in flight was abandoned, so no late verdict can overwrite it.
     */
    void stop(boolean resetHealthy) {
        stopped = true;
        if (loop.isShuttingDown()) {
            // The engine is stopping its loops: nothing will probe again, and nothing reads the verdict.
            return;
        }
        loop.execute(() -> {
            if (next != null) {
                next.cancel(false);
            }
            if (inFlight != null) {
                inFlight.abandon();
            }
            if (resetHealthy) {
                endpoint.state().setHealthy(true);
            }
        });
    }

    /** Probes made so far; read on the loop or after it settled (tests). */
    long probes() {
        return probes;
    }

    private void schedule(long delayMs) {
        if (stopped) {
            return;
        }
        next = loop.schedule(this::probe, delayMs, TimeUnit.MILLISECONDS);
    }

    private void probe() {
        if (stopped) {
            return;
        }
        probes++;
        Probe p = new Probe();
        inFlight = p;
        p.run();
    }

    /** Counts one probe result and moves the verdict when a threshold is reached. */
    void record(boolean success) {
        EndpointState state = endpoint.state();
        if (success) {
            failures = 0;
            successes++;
            if (!state.healthy() && successes >= config.healthyThreshold()) {
                state.setHealthy(true); // unhealthy and healthy_threshold successes → healthy
            }
        } else {
            successes = 0;
            failures++;
            if (state.healthy() && failures >= config.unhealthyThreshold()) {
                state.setHealthy(false); // healthy and unhealthy_threshold failures → unhealthy
            }
        }
    }

    private long nextDelayMs() {
        long jitter = config.jitterMs();
        return config.intervalMs() + (jitter == 0 ? 0 : ThreadLocalRandom.current().nextLong(jitter + 1));
    }

    /** One probe: completes exactly once, by its result, its timeout, or being abandoned. */
    private final class Probe {
        private boolean done;
        private Channel channel;
        private ScheduledFuture<?> timeout;

        void run() {
            timeout = loop.schedule(() -> complete(false), config.timeoutMs(), TimeUnit.MILLISECONDS);
            Bootstrap b = new Bootstrap()
                    .group(loop)
                    .channel(channelType)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.timeoutMs()))
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(config.type() == HealthCheckConfig.Type.HTTP
                            ? new StatusLineHandler(status -> complete(config.expects(status)))
                            : new io.netty.channel.ChannelInboundHandlerAdapter());
            ChannelFuture f = b.connect(endpoint.socketAddress());
            channel = f.channel();
            f.addListener(done -> {
                if (!done.isSuccess()) {
                    complete(false);
                } else if (config.type() == HealthCheckConfig.Type.TCP) {
                    complete(true);
                } else if (!this.done) {
                    channel.writeAndFlush(Unpooled.wrappedBuffer(config.request(endpoint.address())));
                }
            });
        }

        void abandon() {
            if (!done) {
                done = true;
                cleanUp();
            }
        }

        private void complete(boolean success) {
            if (done) {
                return;
            }
            done = true;
            cleanUp();
            if (stopped) {
                return;
            }
            record(success);
            inFlight = null;
            schedule(nextDelayMs());
        }

        private void cleanUp() {
            if (timeout != null) {
                timeout.cancel(false);
            }
            if (channel != null) {
                channel.close();
            }
        }
    }
}
