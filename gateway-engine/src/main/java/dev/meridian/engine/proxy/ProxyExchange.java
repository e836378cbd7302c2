package dev.meridian.engine.proxy;

import dev.meridian.engine.cluster.outlier.GatewayFailure;
import dev.meridian.engine.codec.HttpBodyEnd;
import dev.meridian.engine.codec.HttpRequestHead;
import dev.meridian.engine.codec.HttpResponseHead;
import dev.meridian.engine.codec.LocalResponses;
import dev.meridian.engine.codec.PathNormalizer;
import dev.meridian.engine.codec.PathPolicy;
import dev.meridian.engine.filter.FilterChain;
import dev.meridian.engine.filter.FilterExecution;
import dev.meridian.engine.filter.FilterResult;
import dev.meridian.engine.filter.LocalReply;
import dev.meridian.engine.limit.RequestRateLimiter;
import dev.meridian.engine.observe.ProxyStats;
import dev.meridian.engine.route.Route;
import dev.meridian.engine.runtime.RuntimeSnapshot;
import dev.meridian.engine.upstream.UpstreamConnection;
import dev.meridian.engine.upstream.UpstreamFailure;
import dev.meridian.engine.upstream.UpstreamListener;
import dev.meridian.engine.upstream.retry.UpstreamTimeouts;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.TimeUnit;

/**
 * One proxied request, from its decoded head to the last byte of its response, with one method
 * per phase (filter, route, forward, respond) and {@link #fail} as the one place where a
 * {@link ProxyFailure} becomes a status code. Its upstream attempts (endpoint, breaker units,
 * connection wait, per-try timer, retries) are {@link UpstreamAttempts}; writing the request to
 * the origin and the response to the client, {@link RequestWriter} and {@link ResponseWriter}.
 *
 * <p>It lives on the downstream connection's event loop, as does the upstream connection it
 * borrows; nothing here locks or blocks. Bodies stream in both directions: when the receiving
 * side is not writable, reading from the sending side stops until it is.
 *
 * <p>A connection reuses its exchange for its next request ({@link #start} resets every field) when
 * the one before ended with nobody left to call it back ({@link #reusable()}): no connect in
 * flight for it, no filter that waited. Those rare exchanges are dropped and a new one is made, so
 * a late callback reaches a finished object, never the next request. The common request thus
 * allocates no exchange: at 50k requests/s that is about 8 MB/s less garbage for the young GC.
 */
final class ProxyExchange implements UpstreamListener, FilterExecution.Continuation {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ProxyExchange.class);

    private final ProxyConnectionHandler conn;
    private final ChannelHandlerContext ctx;
    private final ByteBufAllocator alloc;
    private final ProxyStats stats;
    private final RequestWriter request;
    private final UpstreamAttempts attempts;
    private final ResponseWriter response;

    // Per request: every field below is set by reset(), which start() runs first.
    private HttpRequestHead head;
    private RuntimeSnapshot snapshot;
    private FilterExecution filters; // the connection's, reused while no filter waits

    private Route route;
    private UpstreamConnection upstream;
    /** The normalized path when it differs from the received one (rare), else null. */
    private byte[] normalizedPath;
    private long bodyBytes;
    /** Answered locally before the request ended; the rest of its body is read and dropped. */
    private boolean discarding;

    private boolean requestEnded;
    private boolean continueSent;
    private boolean responseStarted;
    private boolean upstreamKeepAlive;
    private boolean closeAfter;
    private boolean finished;
    /** When the exchange began, on the loop clock: the request-duration histogram's start. */
    private long startNanos;

    ProxyExchange(ProxyConnectionHandler conn, ChannelHandlerContext ctx) {
        this.conn = conn;
        this.ctx = ctx;
        this.alloc = ctx.alloc();
        this.stats = conn.context().stats();
        this.request = new RequestWriter(alloc);
        this.attempts = new UpstreamAttempts(this, request, conn, ctx);
        this.response = new ResponseWriter(conn, ctx);
    }

    /**
     * Makes this exchange serve {@code head}: every per-request field gets its initial value, so
     * nothing of the connection's previous request survives.
     */
    void reset(HttpRequestHead head, RuntimeSnapshot snapshot, FilterExecution filters) {
        this.head = head;
        this.snapshot = snapshot;
        this.filters = filters;
        route = null;
        upstream = null;
        normalizedPath = null;
        bodyBytes = 0;
        discarding = false;
        requestEnded = false;
        continueSent = false;
        responseStarted = false;
        upstreamKeepAlive = false;
        closeAfter = false;
        finished = false;
        startNanos = 0;
        attempts.reset();
        request.reset(head);
        response.reset();
    }

    /**
     * Whether the connection may run its next request on this exchange: it has finished and no
     * callback for it can still arrive (a connect it gave up, a filter that waited).
     */
    boolean reusable() {
        return finished && !attempts.abandonedConnect() && filters.reusable();
    }

    // ---- phase: route -------------------------------------------------------------------------

    /** Begins serving {@code head} on {@code snapshot}, from the rate limits to the upstream. */
    void start(HttpRequestHead head, RuntimeSnapshot snapshot) {
        reset(head, snapshot, conn.filterExecution(head, this));
        startNanos = conn.now();
        stats.requestsTotal.increment();
        stats.requestsActive.increment();
        if (!admitRate(conn.policy().rateLimiter())) {
            return;
        }
        int verdict = PathNormalizer.check(head.buffer(), head.pathOffset(), head.pathLength(), PathPolicy.DEFAULT);
        if (verdict < 0) {
            // Encoded slashes, backslashes, NUL, bad escapes: octets origins read differently (path confusion).
            stats.requestsRejected.increment();
            fail(ProxyFailure.BAD_PATH);
            return;
        }
        if (verdict == PathNormalizer.CHANGED) {
            // Route and forward the same bytes, so no encoding of "../" can leave a route's prefix.
            normalizedPath = PathNormalizer.normalize(head.buffer(), head.pathOffset(), head.pathLength(),
                    PathPolicy.DEFAULT);
        }
        if (requestFilters(conn.listenerFilters(snapshot))) {
            routeRequest();
        }
    }

    private void routeRequest() {
        route = RouteLookup.match(snapshot, head, normalizedPath);
        if (route == null) {
            fail(ProxyFailure.NO_ROUTE);
            return;
        }
        // Listener and route limits both apply: the listener's bounds a client's share of the
        // gateway, the route's protects one expensive origin (a login form against credential stuffing).
        if (!admitRate(route.rateLimiter())) {
            return;
        }
        if (head.contentLength() > route.maxBodyBytes() || bodyBytes > route.maxBodyBytes()) {
            // Refused before anything goes upstream; we will not read the body, so framing is lost.
            rejectBodyTooLarge();
            return;
        }
        if (requestFilters(route.filters())) {
            attempts.begin(route, head, normalizedPath);
        }
    }

    /** Runs a chain's request hooks: whether to go on now (else a filter answered, or waits for resume). */
    private boolean requestFilters(FilterChain chain) {
        FilterResult result = filters.runRequest(chain, normalizedPath, route == null ? null : route.name());
        if (result == FilterResult.RESPONDED) {
            answerLocally(filters.reply().status(), filters.reply(), false);
        }
        return result == FilterResult.CONTINUE;
    }

    @Override
    public void onRequestFiltersResumed(FilterResult result) {
        if (result == FilterResult.RESPONDED) {
            answerLocally(filters.reply().status(), filters.reply(), false);
        } else if (!finished && route == null) {
            routeRequest();
        } else if (!finished) {
            attempts.begin(route, head, normalizedPath);
        }
    }

    /**
     * Takes a token from {@code limiter}'s bucket for this client, or answers 429 with the whole
     * seconds until the next token (RFC 6585 §4) and keeps the connection when it can.
     */
    private boolean admitRate(RequestRateLimiter limiter) {
        if (limiter == null || conn.clientAddress() == null) {
            return true;
        }
        long wait = limiter.tryAcquire(conn.clientAddress(), conn.now());
        if (wait == 0) {
            return true;
        }
        stats.requestsRateLimited.increment();
        stats.countResponse(429);
        boolean close = TooManyRequests.answer(ctx, head, wait, conn.draining());
        responseStarted = true;
        if (close || requestEnded) {
            finish(close);
        } else {
            discarding = true;
            conn.startBodyMeter(); // a slow drain is a slow body like any other
        }
        return false;
    }

    private void rejectBodyTooLarge() {
        stats.requestBodyTooLarge.increment();
        onDownstreamProtocolError(413);
    }

    // ---- the attempt's connection (UpstreamAttempts asked the pool for it) ------------------------

    @Override
    public void onUpstreamConnected(UpstreamConnection connection) {
        attempts.connectDone();
        if (finished) {
            connection.release(true);
            return;
        }
        upstream = connection;
        attempts.armTimer();
        forwardHead();
    }

    @Override
    public void onUpstreamUnavailable(UpstreamFailure failure) {
        attempts.connectDone();
        if (!finished) {
            attempts.unavailable(failure);
        }
    }

    // ---- phase: forward the request head and stream the body ----------------------------------

    private void forwardHead() {
        // The head, then any body parts read while connecting.
        request.head(upstream, conn.clientIp(), attempts.cluster().hostHeader(attempts.endpoint()), normalizedPath,
                filters.requestEdits());
        attempts.sent();
        if (head.expectContinue() && !requestEnded && !continueSent) {
            // We answer Expect ourselves (the encoder drops it): the body may come now (RFC 9110 §10.1.1).
            continueSent = true;
            ctx.writeAndFlush(LocalResponses.continue100(), ctx.voidPromise());
        }
        upstream.flush();
        if (!requestEnded) {
            conn.startBodyMeter();
            conn.setAutoRead(upstream.isWritable());
        }
    }

    void onRequestBody(ByteBuf data) {
        if (finished || discarding) {
            data.release();
            return;
        }
        bodyBytes += data.readableBytes();
        if (route != null && bodyBytes > route.maxBodyBytes()) {
            // A chunked body crossed the route's limit mid-stream (a Content-Length one was refused
            // up front): 413 if the response has not begun; either way the upstream connection,
            // holding a request cut short, is closed and never reused.
            data.release();
            rejectBodyTooLarge();
            return;
        }
        if (upstream == null) {
            // Still connecting: hold this read's worth and stop reading until the connection is up.
            request.hold(data);
            conn.setAutoRead(false);
            return;
        }
        request.body(upstream, data);
        if (!upstream.isWritable()) {
            conn.setAutoRead(false);
        }
    }

    void onRequestEnd(HttpBodyEnd end) {
        requestEnded = true;
        if (discarding) {
            discarding = false;
            end.release();
            finish(false);
            return;
        }
        if (finished) {
            end.release();
            return;
        }
        if (upstream == null) {
            request.hold(end);
        } else {
            request.end(upstream, end);
        }
    }

    void flushUpstream() {
        if (upstream != null) {
            upstream.flush();
        }
    }

    // ---- phase: response head, body and end ---------------------------------------------------

    @Override
    public void onResponseHead(HttpResponseHead answer) {
        if (finished) {
            answer.release();
            return;
        }
        if (attempts.retriedOn(answer)) {
            return;
        }
        if (filters.runResponse(answer) == FilterResult.RESPONDED) {
            answer.release(); // a filter replaced it: its body is never read, so its connection closes
            answerLocally(filters.reply().status(), filters.reply(), false);
            return;
        }
        attempts.clearDeadline(); // the response has begun: from here the idle timeout applies
        int status = answer.status();
        upstreamKeepAlive = answer.keepAlive();
        closeAfter = response.head(answer, head.http11(), closeAfter || !head.keepAlive() || conn.draining(),
                filters.responseEdits());
        // Encoded, and no filter can read it any more (runResponse has returned): the upstream
        // connection's decoder fills this object with its next response head.
        answer.recycle();
        responseStarted = true;
        stats.countResponse(status);
    }

    @Override
    public void onResponseBody(ByteBuf data) {
        if (finished) {
            data.release();
            return;
        }
        response.body(data);
        if (!ctx.channel().isWritable()) {
            upstream.setAutoRead(false);
        }
    }

    @Override
    public void onResponseEnd(HttpBodyEnd end) {
        if (finished) {
            end.release();
            return;
        }
        response.end(end);
        UpstreamConnection u = upstream;
        upstream = null;
        // Reuse only a connection whose request was written whole and whose response was read whole.
        u.release(upstreamKeepAlive && request.forwarded());
        ctx.flush();
        finish(closeAfter || !requestEnded);
    }

    @Override
    public void onUpstreamFailed(UpstreamFailure failure) {
        UpstreamConnection u = upstream;
        upstream = null;
        if (finished) {
            return;
        }
        attempts.cancelTimer();
        if (failure == UpstreamFailure.PROTOCOL_ERROR) {
            stats.upstreamProtocolErrors.increment();
        }
        if (responseStarted) {
            abort();
            return;
        }
        attempts.failed(failure, u);
    }

    @Override
    public void onUpstreamReadComplete() {
        conn.touch(conn.now());
        response.writePendingHead(); // the body is not in this read: the head goes now, as it would have
        ctx.flush();
    }

    @Override
    public void onUpstreamWritabilityChanged(boolean writable) {
        if (!requestEnded && !finished) {
            conn.setAutoRead(writable);
        }
    }

    void onDownstreamWritabilityChanged(boolean writable) {
        if (upstream != null && responseStarted) {
            upstream.setAutoRead(writable);
        }
    }

    // ---- failures -----------------------------------------------------------------------------

    /**
     * When the route's {@code timeout_ms} runs out (loop-clock nanoseconds), or 0 when none
     * applies any longer: no timeout, the response has begun, or the exchange is over.
     */
    long timeoutDeadline() {
        return finished || responseStarted ? 0 : attempts.deadlineNanos();
    }

    /** The route's timeout ran out before the response head: 504, counted as the endpoint's fault. */
    void onTimeout() {
        if (finished || responseStarted) {
            return;
        }
        stats.upstreamTimeouts.increment();
        if (upstream != null) {
            attempts.cluster().outlierDetector().onGatewayFailure(attempts.endpoint(), GatewayFailure.TIMEOUT);
        }
        fail(ProxyFailure.UPSTREAM_TIMEOUT);
    }

    /** Whether the request has been read to its end. */
    boolean requestEnded() {
        return requestEnded;
    }

    /** The route's idle timeout in nanoseconds, or 0 when the listener's applies. */
    long idleTimeoutNanos() {
        UpstreamTimeouts timeouts = attempts.timeouts();
        return timeouts == null ? 0 : TimeUnit.MILLISECONDS.toNanos(timeouts.idleTimeoutMs());
    }

    void onDownstreamIdle() {
        if (finished) {
            return;
        }
        if (responseStarted) {
            abort();
        } else {
            stats.upstreamTimeouts.increment();
            fail(ProxyFailure.UPSTREAM_TIMEOUT);
        }
    }

    void onDownstreamProtocolError(int status) {
        answerLocally(status, null, true);
    }

    void onDownstreamClosed() {
        if (!finished) {
            abort();
        }
    }

    /**
     * Answers the client with the failure's status and a generic body that names nothing
     * internal (no cluster, address or breaker state), then ends the exchange.
     */
    void fail(ProxyFailure failure) {
        if (!finished) {
            // Expected conditions, counted in stats: debug only, never an error line per request.
            log.debug("{} ({} failure) -> {}", failure, failure.source, failure.status);
            answerLocally(failure.status, null, false);
        }
    }

    /**
     * Answers with {@code reply} (a filter's) or, when null, the generic error for {@code status},
     * and ends the exchange; the connection closes when {@code close} or when it must (below).
     */
    private void answerLocally(int status, LocalReply reply, boolean close) {
        if (finished) {
            return;
        }
        releaseUpstream();
        if (responseStarted) {
            abort();
            return;
        }
        stats.countResponse(status);
        // A request whose body was not read to its end leaves the connection's framing in doubt.
        // A body-less request is whole once its head is decoded (its end marker follows at once).
        boolean bodyPending = !requestEnded && head.hasBody();
        close |= bodyPending || !head.keepAlive() || conn.draining();
        ctx.writeAndFlush(reply == null ? LocalResponses.error(alloc, status, close)
                : reply.encode(alloc, close, head.isHeadMethod()), ctx.voidPromise());
        finish(close);
    }

    /** Ends the exchange with no (further) response: the downstream connection is closed. */
    private void abort() {
        releaseUpstream();
        finish(true);
    }

    /** Closes the attempt's connection, or stops waiting for one. */
    void releaseUpstream() {
        if (upstream != null) {
            upstream.close();
            upstream = null;
        }
        attempts.abandonWait();
    }

    private void finish(boolean close) {
        finished = true;
        response.writePendingHead(); // an abort after the head: the client gets the head, then the close
        attempts.finish();
        request.releaseHeld();
        stats.requestsActive.decrement();
        stats.requestDuration.record(conn.now() - startNanos);
        filters.end(); // before the connection may start its next request on the same execution
        if (reusable()) {
            // Nothing can reach this exchange, so nothing can reach its head: the connection's
            // decoder fills the same object with the next request (no allocation per request).
            head.recycle();
        } else {
            head.release();
        }
        conn.exchangeFinished(this, close);
    }

    boolean finished() {
        return finished;
    }

    boolean responseStarted() {
        return responseStarted;
    }
}
