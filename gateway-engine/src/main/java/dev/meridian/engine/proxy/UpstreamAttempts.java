package dev.meridian.engine.proxy;

import dev.meridian.engine.cluster.Cluster;
import dev.meridian.engine.cluster.Endpoint;
import dev.meridian.engine.cluster.breaker.BreakerResource;
import dev.meridian.engine.cluster.breaker.CircuitBreaker;
import dev.meridian.engine.cluster.outlier.GatewayFailure;
import dev.meridian.engine.codec.HttpRequestHead;
import dev.meridian.engine.codec.HttpResponseHead;
import dev.meridian.engine.observe.ProxyStats;
import dev.meridian.engine.route.Route;
import dev.meridian.engine.upstream.UpstreamConnection;
import dev.meridian.engine.upstream.UpstreamFailure;
import dev.meridian.engine.upstream.retry.RetryCause;
import dev.meridian.engine.upstream.retry.RetryPolicy;
import dev.meridian.engine.upstream.retry.UpstreamTimeouts;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The upstream side of one {@link ProxyExchange}: which endpoint each attempt goes to, the circuit
 * breaker units the request holds, the connection it waits for, the per-try timer, and whether
 * and when another attempt follows (retry policy, retry budget, jittered backoff, the one
 * transport-level retry of a stale pooled connection).
 *
 * <p>One per exchange, reused with it ({@link #reset} restores every per-request field). It runs
 * on the exchange's event loop; every way an attempt ends that ends the request goes back through
 * the exchange ({@link ProxyExchange#fail}), the one place where a failure becomes a status code.
 */
final class UpstreamAttempts {

    private final ProxyExchange exchange;
    /** Whether the request's body has begun to go upstream (then it cannot be sent again). */
    private final RequestWriter request;
    private final ProxyConnectionHandler conn;
    private final ChannelHandlerContext ctx;
    private final ProxyStats stats;

    // Per request: every field below is set by reset().
    private HttpRequestHead head;
    /** The normalized path when it differs from the received one, else null (the request hash reads it). */
    private byte[] normalizedPath;
    private Cluster cluster;
    private Endpoint endpoint;
    private boolean endpointActive;
    private boolean waitingForConnection;
    private int attempts;
    /** Breaker units this request holds, as bits ({@link CircuitBreaker#tryAcquire(int, BreakerResource)}). */
    private int held;
    private RetryPolicy policy;
    private UpstreamTimeouts timeouts;
    private int retries;
    /** When the route's total timeout runs out (loop clock), or 0 when none applies (any longer). */
    private long deadlineNanos;
    private ScheduledFuture<?> attemptTimer;
    private ScheduledFuture<?> backoffTimer;
    /** The request head was written on the current attempt: the origin may have acted on it. */
    private boolean attemptSent;
    /** A pooled connection found closed on reuse was already replaced once (transport-level). */
    private boolean staleRetried;
    /** The request ended while a connect for it was in flight: that connect's callback may still come. */
    private boolean abandonedConnect;

    UpstreamAttempts(ProxyExchange exchange, RequestWriter request, ProxyConnectionHandler conn,
            ChannelHandlerContext ctx) {
        this.exchange = exchange;
        this.request = request;
        this.conn = conn;
        this.ctx = ctx;
        this.stats = conn.context().stats();
    }

    void reset() {
        head = null;
        normalizedPath = null;
        cluster = null;
        endpoint = null;
        endpointActive = false;
        waitingForConnection = false;
        attempts = 0;
        held = 0;
        policy = null;
        timeouts = null;
        retries = 0;
        deadlineNanos = 0;
        attemptTimer = null;
        backoffTimer = null;
        attemptSent = false;
        staleRetried = false;
        abandonedConnect = false;
    }

    /**
     * Takes {@code route}'s cluster, policy and timeouts and the request's breaker unit, then starts
     * the first attempt for {@code head} (routed on {@code normalizedPath} when not null); a full
     * breaker fails the exchange (503).
     */
    void begin(Route route, HttpRequestHead head, byte[] normalizedPath) {
        this.head = head;
        this.normalizedPath = normalizedPath;
        cluster = route.cluster();
        policy = route.retryPolicy();
        timeouts = route.timeouts();
        if (timeouts.idleTimeoutMs() > 0) {
            conn.exchangeIdleTimeoutKnown();
        }
        int h = cluster.breaker().tryAcquire(0, BreakerResource.REQUESTS);
        if (h < 0) {
            stats.breakerOverflows.increment();
            exchange.fail(ProxyFailure.BREAKER_OVERFLOW);
            return;
        }
        held = h;
        long total = timeouts.totalTimeoutMs();
        if (total > 0) {
            // Enforced by the connection's one timer (it reads the exchange's timeoutDeadline()):
            // no timer task is scheduled and cancelled per request.
            deadlineNanos = conn.now() + TimeUnit.MILLISECONDS.toNanos(total);
        }
        pick(null);
    }

    /** Picks an endpoint (another than {@code avoid} when one is available) and asks for a connection. */
    private void pick(Endpoint avoid) {
        long hash = RequestHash.of(cluster.hashKey(), head, normalizedPath, conn.clientHash());
        // On the loop slot the request's first breaker acquire recorded in held: the balancer
        // reaches this event loop's own state without finding it from the thread again.
        Endpoint picked = cluster.loadBalancer().pick(CircuitBreaker.loopOf(held), hash, avoid);
        if (picked == null) {
            exchange.fail(ProxyFailure.NO_ENDPOINT);
            return;
        }
        int h = cluster.breaker().tryAcquire(held, BreakerResource.PENDING_REQUESTS);
        if (h < 0) {
            stats.breakerOverflows.increment();
            exchange.fail(ProxyFailure.BREAKER_OVERFLOW);
            return;
        }
        held = h;
        endpoint = picked;
        endpoint.requestStarted();
        endpointActive = true;
        attempts++;
        attemptSent = false;
        waitingForConnection = true;
        conn.pools().acquire(cluster, endpoint, (int) timeouts.connectTimeoutMs(), exchange);
    }

    /** The pool's answer came (a connection or a failure): the pending-request unit goes back. */
    void connectDone() {
        waitingForConnection = false;
        held = cluster.breaker().release(held, BreakerResource.PENDING_REQUESTS);
    }

    /** No connection for this attempt: fail the request, or retry when the failure was the endpoint's. */
    void unavailable(UpstreamFailure failure) {
        end();
        switch (failure) {
            case POOL_OVERFLOW -> exchange.fail(ProxyFailure.POOL_OVERFLOW);
            case CONNECTION_LIMIT -> {
                stats.breakerOverflows.increment();
                exchange.fail(ProxyFailure.BREAKER_OVERFLOW);
            }
            default -> {
                boolean timedOut = failure == UpstreamFailure.CONNECT_TIMEOUT;
                cluster.outlierDetector().onGatewayFailure(endpoint,
                        timedOut ? GatewayFailure.CONNECT_TIMEOUT : GatewayFailure.CONNECT_FAILURE);
                if (!retry(RetryCause.CONNECT_FAILURE, 0)) {
                    exchange.fail(timedOut ? ProxyFailure.CONNECT_TIMEOUT : ProxyFailure.CONNECT_FAILED);
                }
            }
        }
    }

    /**
     * The attempt's connection failed before the response began: retry a stale pooled connection
     * once, else count the reset against the endpoint and retry when the policy allows; otherwise
     * fail the request.
     */
    void failed(UpstreamFailure failure, UpstreamConnection connection) {
        end();
        if (failure == UpstreamFailure.CLOSED && connection != null && connection.reused() && !staleRetried
                && !request.bodyStarted() && !head.hasBody() && RetryPolicy.isIdempotent(head.method())) {
            // The origin closed a pooled connection as we reused it: the classic keep-alive race.
            // A transport matter, not the endpoint's fault: retried once outside the route policy.
            staleRetried = true;
            stats.upstreamRetries.increment();
            pick(null);
            return;
        }
        cluster.outlierDetector().onGatewayFailure(endpoint, GatewayFailure.RESET);
        if (failure == UpstreamFailure.CLOSED
                && retry(attemptSent ? RetryCause.RESET : RetryCause.RESET_BEFORE_SEND, 0)) {
            return;
        }
        exchange.fail(failure == UpstreamFailure.PROTOCOL_ERROR ? ProxyFailure.UPSTREAM_PROTOCOL
                : ProxyFailure.UPSTREAM_CLOSED);
    }

    /**
     * Starts another attempt when the route's policy, the request (idempotent, body not yet
     * streamed) and the cluster's retry limit allow it, after the policy's jittered backoff, on
     * another endpoint when there is one. Returns whether it did.
     */
    private boolean retry(RetryCause cause, int status) {
        if (!mayRetry(cause, status)) {
            return false;
        }
        startRetry();
        return true;
    }

    /**
     * The attempt's response head came: the per-try timer stops, the endpoint's outlier detector
     * hears the status, and a status the route retries on (a 503, say) is dropped, its connection
     * closed (its body is not read) and the request tried again, unless the policy or the retry
     * limit says no. Returns whether it retried; if not, the response is passed on as it is.
     */
    boolean retriedOn(HttpResponseHead response) {
        cancelTimer();
        int status = response.status();
        cluster.outlierDetector().onResponse(endpoint, status);
        if (!policy.retriesOn(RetryCause.RESPONSE, status) || !mayRetry(RetryCause.RESPONSE, status)) {
            return false;
        }
        response.release();
        exchange.releaseUpstream();
        end();
        startRetry();
        return true;
    }

    /** Whether another attempt is allowed; takes the cluster's retry permit when it is. */
    private boolean mayRetry(RetryCause cause, int status) {
        boolean idempotent = RetryPolicy.isIdempotent(head.method());
        if (!policy.shouldRetry(cause, status, retries, idempotent, !request.bodyStarted())) {
            return false;
        }
        int h = cluster.breaker().tryAcquire(held, BreakerResource.RETRIES);
        if (h < 0) {
            // max_retries / the retry budget: retries must never multiply an outage.
            stats.breakerOverflows.increment();
            return false;
        }
        held = h;
        return true;
    }

    private void startRetry() {
        retries++;
        stats.upstreamRetries.increment();
        Endpoint avoid = endpoint;
        long delay = policy.backoffNanos(retries, ThreadLocalRandom.current());
        if (delay <= 0) {
            pick(avoid);
        } else {
            backoffTimer = ctx.executor().schedule(() -> {
                backoffTimer = null;
                if (!exchange.finished()) {
                    pick(avoid);
                }
            }, delay, TimeUnit.NANOSECONDS);
        }
    }

    /** Bounds one attempt's wait for its response head when the route sets a per-try timeout. */
    void armTimer() {
        if (timeouts.perTryTimeoutMs() <= 0) {
            return;
        }
        long left = deadlineNanos == 0 ? Long.MAX_VALUE
                : TimeUnit.NANOSECONDS.toMillis(deadlineNanos - conn.now());
        long ms = timeouts.attemptTimeoutMs(left);
        attemptTimer = ctx.executor().schedule(this::onAttemptTimeout, ms, TimeUnit.MILLISECONDS);
    }

    private void onAttemptTimeout() {
        attemptTimer = null;
        if (exchange.finished() || exchange.responseStarted()) {
            return;
        }
        stats.upstreamTimeouts.increment();
        cluster.outlierDetector().onGatewayFailure(endpoint, GatewayFailure.TIMEOUT);
        exchange.releaseUpstream();
        end();
        if (!retry(RetryCause.PER_TRY_TIMEOUT, 0)) {
            exchange.fail(ProxyFailure.UPSTREAM_TIMEOUT);
        }
    }

    void cancelTimer() {
        if (attemptTimer != null) {
            attemptTimer.cancel(false);
            attemptTimer = null;
        }
    }

    /** The current attempt is over: its endpoint's active-request count goes down (once). */
    void end() {
        if (endpointActive) {
            endpointActive = false;
            endpoint.requestEnded();
        }
    }

    /**
     * Stops waiting for a connection, if this attempt still is: out of the pool's wait queue, and
     * remembered, since a connect begun for it still calls back when done.
     */
    void abandonWait() {
        if (waitingForConnection) {
            waitingForConnection = false;
            abandonedConnect = true;
            conn.pools().cancel(endpoint, exchange);
            held = cluster.breaker().release(held, BreakerResource.PENDING_REQUESTS);
        }
    }

    /** The request is over: timers cancelled, the attempt ended, every breaker unit given back. */
    void finish() {
        cancelTimer();
        if (backoffTimer != null) {
            backoffTimer.cancel(false);
            backoffTimer = null;
        }
        end();
        if (held != 0) {
            // Every way a request ends comes through here; held is cleared, so it runs once.
            held = cluster.breaker().releaseAll(held);
        }
    }

    /** The request head went out on this attempt's connection. */
    void sent() {
        attemptSent = true;
    }

    /** A connect this request gave up may still call back: the exchange must not be reused. */
    boolean abandonedConnect() {
        return abandonedConnect;
    }

    Cluster cluster() {
        return cluster;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    UpstreamTimeouts timeouts() {
        return timeouts;
    }

    /** See {@link ProxyExchange#timeoutDeadline()}. */
    long deadlineNanos() {
        return deadlineNanos;
    }

    /** The response has begun: from here the idle timeout applies, not the route's total timeout. */
    void clearDeadline() {
        deadlineNanos = 0;
    }
}
