package dev.meridian.engine.proxy;

import dev.meridian.engine.cluster.Cluster;
import dev.meridian.engine.cluster.Endpoint;
import dev.meridian.engine.cluster.breaker.BreakerResource;
import dev.meridian.engine.cluster.breaker.CircuitBreaker;
import dev.meridian.engine.cluster.outlier.GatewayFailure;
import dev.meridian.engine.codec.ChunkedEncoder;
import dev.meridian.engine.codec.Http1RequestEncoder;
import dev.meridian.engine.codec.Http1ResponseEncoder;
import dev.meridian.engine.codec.HeaderEdits;
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
import dev.meridian.engine.internal.ReusableBuffer;
import dev.meridian.engine.limit.RequestRateLimiter;
import dev.meridian.engine.observe.ProxyStats;
import dev.meridian.engine.route.Route;
import dev.meridian.engine.runtime.RuntimeSnapshot;
import dev.meridian.engine.upstream.UpstreamConnection;
import dev.meridian.engine.upstream.UpstreamFailure;
import dev.meridian.engine.upstream.UpstreamListener;
import dev.meridian.engine.upstream.retry.RetryCause;
import dev.meridian.engine.upstream.retry.RetryPolicy;
import dev.meridian.engine.upstream.retry.UpstreamTimeouts;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One proxied request, from its decoded head to the last byte of its response, with one method
 * per phase (filter, route, pick, acquire, forward, respond) and {@link #fail} as the one place where a
 * {@link ProxyFailure} becomes a status code.
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

    /**
     * Response bodies up to this size that arrive with their head, and fit in the head's buffer
     * without growing it, are copied behind it (one write); others are forwarded as slices of the
     * bytes read (zero copy). Copying 1 KiB costs less than a second buffer's trip through the
     * outbound queue and a writev.
     */
    static final int DEFAULT_COALESCED_BODY_BYTES = 1024;

    private final ProxyConnectionHandler conn;
    private final ChannelHandlerContext ctx;
    private final ByteBufAllocator alloc;
    private final ProxyStats stats;

    // Per request: every field below is set by reset(), which start() runs first.
    private HttpRequestHead head;
    private RuntimeSnapshot snapshot;
    private FilterExecution filters; // the connection's, reused while no filter waits

    private Route route;
    private Cluster cluster;
    private Endpoint endpoint;
    private boolean endpointActive;
    private UpstreamConnection upstream;
    private boolean waitingForConnection;
    private HeldParts pending;
    private int attempts;
    /** Breaker units this request holds, as bits ({@link CircuitBreaker#tryAcquire(int, BreakerResource)}). */
    private int held;
    private RetryPolicy policy;
    private UpstreamTimeouts timeouts;
    private int retries;
    private long deadlineNanos;
    private ScheduledFuture<?> attemptTimer;
    private ScheduledFuture<?> backoffTimer;
    /** The request head was written on the current attempt: the origin may have acted on it. */
    private boolean attemptSent;
    /** A pooled connection found closed on reuse was already replaced once (transport-level). */
    private boolean staleRetried;
    /** The normalized path when it differs from the received one (rare), else null. */
    private byte[] normalizedPath;
    private long bodyBytes;
    /** Answered locally before the request ended; the rest of its body is read and dropped. */
    private boolean discarding;

    private boolean requestEnded;
    private boolean requestForwarded;
    private boolean bodyStarted;
    private boolean continueSent;
    private boolean responseStarted;
    private boolean responseChunked;
    private boolean upstreamKeepAlive;
    private boolean closeAfter;
    private boolean finished;
    /** When the exchange began, on the loop clock: the request-duration histogram's start. */
    private long startNanos;
    /** It ended while a connect for it was in flight: that connect's callback may still come. */
    private boolean abandonedConnect;
    /**
     * The encoded response head, held back until the body's first bytes (or the response's end)
     * so that a small body is copied behind it: one buffer, one write, one plain send instead of
     * a writev of two, and no body slice kept. Written as it is, at the latest, when the upstream
     * read that brought it completes, so holding it never delays it.
     */
    private ByteBuf pendingHead;

    ProxyExchange(ProxyConnectionHandler conn, ChannelHandlerContext ctx) {
        this.conn = conn;
        this.ctx = ctx;
        this.alloc = ctx.alloc();
        this.stats = conn.context().stats();
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
        cluster = null;
        endpoint = null;
        endpointActive = false;
        upstream = null;
        waitingForConnection = false;
        pending = null;
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
        normalizedPath = null;
        bodyBytes = 0;
        discarding = false;
        requestEnded = false;
        requestForwarded = false;
        bodyStarted = false;
        continueSent = false;
        responseStarted = false;
        responseChunked = false;
        upstreamKeepAlive = false;
        closeAfter = false;
        finished = false;
        startNanos = 0;
        abandonedConnect = false;
        pendingHead = null;
    }

    /**
     * Whether the connection may run its next request on this exchange: it has finished and no
     * callback for it can still arrive (a connect it gave up, a filter that waited).
     */
    boolean reusable() {
        return finished && !abandonedConnect && filters.reusable();
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
            startUpstream();
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
            startUpstream();
        }
    }

    private void startUpstream() {
        cluster = route.cluster();
        policy = route.retryPolicy();
        timeouts = route.timeouts();
        if (timeouts.idleTimeoutMs() > 0) {
            conn.exchangeIdleTimeoutKnown();
        }
        int h = cluster.breaker().tryAcquire(0, BreakerResource.REQUESTS);
        if (h < 0) {
            stats.breakerOverflows.increment();
            fail(ProxyFailure.BREAKER_OVERFLOW);
            return;
        }
        held = h;
        long total = timeouts.totalTimeoutMs();
        if (total > 0) {
            // Enforced by the connection's one timer (it reads timeoutDeadline()): no timer task
            // is scheduled and cancelled per request.
            deadlineNanos = conn.now() + TimeUnit.MILLISECONDS.toNanos(total);
        }
        pickAndAcquire(null);
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

    // ---- phase: pick endpoint and acquire a connection ----------------------------------------

    /** Picks an endpoint (another than {@code avoid} when one is available) and asks for a connection. */
    private void pickAndAcquire(Endpoint avoid) {
        long hash = RequestHash.of(cluster.hashKey(), head, normalizedPath, conn.clientHash());
        // On the loop slot the request's first breaker acquire recorded in held: the balancer
        // reaches this event loop's own state without finding it from the thread again.
        Endpoint picked = cluster.loadBalancer().pick(CircuitBreaker.loopOf(held), hash, avoid);
        if (picked == null) {
            fail(ProxyFailure.NO_ENDPOINT);
            return;
        }
        int h = cluster.breaker().tryAcquire(held, BreakerResource.PENDING_REQUESTS);
        if (h < 0) {
            stats.breakerOverflows.increment();
            fail(ProxyFailure.BREAKER_OVERFLOW);
            return;
        }
        held = h;
        endpoint = picked;
        endpoint.requestStarted();
        endpointActive = true;
        attempts++;
        attemptSent = false;
        waitingForConnection = true;
        conn.pools().acquire(cluster, endpoint, (int) timeouts.connectTimeoutMs(), this);
    }

    @Override
    public void onUpstreamConnected(UpstreamConnection connection) {
        waitingForConnection = false;
        held = cluster.breaker().release(held, BreakerResource.PENDING_REQUESTS);
        if (finished) {
            connection.release(true);
            return;
        }
        upstream = connection;
        armAttemptTimer();
        forwardHead();
    }

    @Override
    public void onUpstreamUnavailable(UpstreamFailure failure) {
        waitingForConnection = false;
        held = cluster.breaker().release(held, BreakerResource.PENDING_REQUESTS);
        if (finished) {
            return;
        }
        endAttempt();
        switch (failure) {
            case POOL_OVERFLOW -> fail(ProxyFailure.POOL_OVERFLOW);
            case CONNECTION_LIMIT -> {
                stats.breakerOverflows.increment();
                fail(ProxyFailure.BREAKER_OVERFLOW);
            }
            default -> {
                boolean timedOut = failure == UpstreamFailure.CONNECT_TIMEOUT;
                cluster.outlierDetector().onGatewayFailure(endpoint,
                        timedOut ? GatewayFailure.CONNECT_TIMEOUT : GatewayFailure.CONNECT_FAILURE);
                if (!retry(RetryCause.CONNECT_FAILURE, 0)) {
                    fail(timedOut ? ProxyFailure.CONNECT_TIMEOUT : ProxyFailure.CONNECT_FAILED);
                }
            }
        }
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

    /** Whether another attempt is allowed; takes the cluster's retry permit when it is. */
    private boolean mayRetry(RetryCause cause, int status) {
        boolean idempotent = RetryPolicy.isIdempotent(head.method());
        if (!policy.shouldRetry(cause, status, retries, idempotent, !bodyStarted)) {
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
            pickAndAcquire(avoid);
        } else {
            backoffTimer = ctx.executor().schedule(() -> {
                backoffTimer = null;
                if (!finished) {
                    pickAndAcquire(avoid);
                }
            }, delay, TimeUnit.NANOSECONDS);
        }
    }

    /** Bounds one attempt's wait for its response head when the route sets a per-try timeout. */
    private void armAttemptTimer() {
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
        if (finished || responseStarted) {
            return;
        }
        stats.upstreamTimeouts.increment();
        cluster.outlierDetector().onGatewayFailure(endpoint, GatewayFailure.TIMEOUT);
        releaseUpstream();
        endAttempt();
        if (!retry(RetryCause.PER_TRY_TIMEOUT, 0)) {
            fail(ProxyFailure.UPSTREAM_TIMEOUT);
        }
    }

    // ---- phase: forward the request head and stream the body ----------------------------------

    private void forwardHead() {
        byte[] host = cluster.hostHeader(endpoint);
        HeaderEdits edits = filters.requestEdits();
        ByteBuf encoded = Http1RequestEncoder.encodeHead(
                upstream.headBuffer(Http1RequestEncoder.sizeHint(head, conn.clientIp(), host, normalizedPath, edits)),
                head, conn.clientIp(), false, head.contentLength(), head.chunked(), host, normalizedPath, edits);
        upstream.sendHead(encoded, head.isHeadMethod());
        attemptSent = true;
        if (head.expectContinue() && !requestEnded && !continueSent) {
            // We answer Expect ourselves (the encoder drops it): the body may come now (RFC 9110 §10.1.1).
            continueSent = true;
            ctx.writeAndFlush(LocalResponses.continue100(), ctx.voidPromise());
        }
        for (Object part; pending != null && (part = pending.poll()) != null; ) {
            if (part instanceof ByteBuf data) {
                forwardBody(data);
            } else {
                forwardEnd((HttpBodyEnd) part);
            }
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
            pending = HeldParts.add(pending, data);
            conn.setAutoRead(false);
            return;
        }
        forwardBody(data);
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
            pending = HeldParts.add(pending, end);
            return;
        }
        forwardEnd(end);
    }

    private void forwardBody(ByteBuf data) {
        bodyStarted = true;
        if (head.chunked()) {
            // Re-frame rather than relay the client's chunk lines: what the origin parses is what we parsed.
            upstream.write(ChunkedEncoder.chunkHeader(alloc, data.readableBytes()));
            upstream.write(data);
            upstream.write(ChunkedEncoder.crlf());
        } else {
            upstream.write(data);
        }
    }

    private void forwardEnd(HttpBodyEnd end) {
        if (head.chunked()) {
            upstream.write(ChunkedEncoder.lastChunk(alloc, end.trailers()));
        }
        end.release();
        requestForwarded = true;
    }

    void flushUpstream() {
        if (upstream != null) {
            upstream.flush();
        }
    }

    // ---- phase: response head, body and end ---------------------------------------------------

    @Override
    public void onResponseHead(HttpResponseHead response) {
        if (finished) {
            response.release();
            return;
        }
        cancelAttemptTimer();
        int status = response.status();
        cluster.outlierDetector().onResponse(endpoint, status);
        if (policy.retriesOn(RetryCause.RESPONSE, status) && retryResponse(response, status)) {
            return;
        }
        if (filters.runResponse(response) == FilterResult.RESPONDED) {
            response.release(); // a filter replaced it: its body is never read, so its connection closes
            answerLocally(filters.reply().status(), filters.reply(), false);
            return;
        }
        deadlineNanos = 0; // the response has begun: from here the idle timeout applies
        upstreamKeepAlive = response.keepAlive();
        long contentLength = -1;
        boolean chunked = false;
        boolean close = closeAfter || !head.keepAlive() || conn.draining();
        if (response.noBody()) {
            // HEAD and 304 keep the origin's Content-Length: it describes the representation.
            contentLength = response.contentLength();
        } else if (response.contentLength() >= 0) {
            contentLength = response.contentLength();
        } else if (head.http11()) {
            chunked = true;
        } else {
            // An HTTP/1.0 client cannot read chunked: delimit the body by closing (RFC 9112 §6.3).
            close = true;
        }
        closeAfter = close;
        responseChunked = chunked;
        HeaderEdits edits = filters.responseEdits();
        // Room for a small body behind the head (see pendingHead) while both fit the loop's cached
        // head buffers; a larger body is forwarded as it came (a slice, zero copy).
        int hint = Http1ResponseEncoder.sizeHint(response, edits);
        int room = !chunked && contentLength > 0 && hint + contentLength <= ReusableBuffer.DEFAULT_CAPACITY
                ? (int) contentLength : 0;
        ByteBuf encoded = Http1ResponseEncoder.encodeHead(conn.responseHeadBuffer(hint + room),
                response, head.http11(), contentLength, chunked, close, edits);
        if (chunked) {
            ctx.write(encoded, ctx.voidPromise());
        } else {
            pendingHead = encoded;
        }
        // Encoded, and no filter can read it any more (runResponse has returned): the upstream
        // connection's decoder fills this object with its next response head.
        response.recycle();
        responseStarted = true;
        stats.countResponse(status);
    }

    @Override
    public void onResponseBody(ByteBuf data) {
        if (finished) {
            data.release();
            return;
        }
        ByteBuf h = pendingHead;
        if (h != null && data.readableBytes() <= DEFAULT_COALESCED_BODY_BYTES
                && data.readableBytes() <= h.maxFastWritableBytes()) {
            pendingHead = null;
            h.writeBytes(data);
            data.release();
            ctx.write(h, ctx.voidPromise());
        } else if (responseChunked) {
            ctx.write(ChunkedEncoder.chunkHeader(alloc, data.readableBytes()), ctx.voidPromise());
            ctx.write(data, ctx.voidPromise());
            ctx.write(ChunkedEncoder.crlf(), ctx.voidPromise());
        } else {
            writePendingHead();
            ctx.write(data, ctx.voidPromise());
        }
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
        writePendingHead();
        if (responseChunked) {
            ctx.write(ChunkedEncoder.lastChunk(alloc, end.trailers()), ctx.voidPromise());
        }
        end.release();
        UpstreamConnection u = upstream;
        upstream = null;
        // Reuse only a connection whose request was written whole and whose response was read whole.
        u.release(upstreamKeepAlive && requestForwarded);
        ctx.flush();
        finish(closeAfter || !requestEnded);
    }

    /**
     * A response whose status the route retries on (e.g. a 503): drop it, close its connection
     * (its body is not read) and try again, unless the policy or the retry limit says no — then
     * the response is passed on as it is. Returns whether it retried.
     */
    private boolean retryResponse(HttpResponseHead response, int status) {
        if (!mayRetry(RetryCause.RESPONSE, status)) {
            return false;
        }
        response.release();
        upstream.close();
        upstream = null;
        endAttempt();
        startRetry();
        return true;
    }

    @Override
    public void onUpstreamFailed(UpstreamFailure failure) {
        UpstreamConnection u = upstream;
        upstream = null;
        if (finished) {
            return;
        }
        cancelAttemptTimer();
        if (failure == UpstreamFailure.PROTOCOL_ERROR) {
            stats.upstreamProtocolErrors.increment();
        }
        if (responseStarted) {
            abort();
            return;
        }
        endAttempt();
        if (failure == UpstreamFailure.CLOSED && u != null && u.reused() && !staleRetried
                && !bodyStarted && !head.hasBody() && RetryPolicy.isIdempotent(head.method())) {
            // The origin closed a pooled connection as we reused it: the classic keep-alive race.
            // A transport matter, not the endpoint's fault: retried once outside the route policy.
            staleRetried = true;
            stats.upstreamRetries.increment();
            pickAndAcquire(null);
            return;
        }
        cluster.outlierDetector().onGatewayFailure(endpoint, GatewayFailure.RESET);
        if (failure == UpstreamFailure.CLOSED
                && retry(attemptSent ? RetryCause.RESET : RetryCause.RESET_BEFORE_SEND, 0)) {
            return;
        }
        fail(failure == UpstreamFailure.PROTOCOL_ERROR ? ProxyFailure.UPSTREAM_PROTOCOL
                : ProxyFailure.UPSTREAM_CLOSED);
    }

    @Override
    public void onUpstreamReadComplete() {
        conn.touch(conn.now());
        writePendingHead(); // the body is not in this read: the head goes now, as it would have
        ctx.flush();
    }

    private void writePendingHead() {
        ByteBuf h = pendingHead;
        if (h != null) {
            pendingHead = null;
            ctx.write(h, ctx.voidPromise());
        }
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
        return finished || responseStarted ? 0 : deadlineNanos;
    }

    /** The route's timeout ran out before the response head: 504, counted as the endpoint's fault. */
    void onTimeout() {
        if (finished || responseStarted) {
            return;
        }
        stats.upstreamTimeouts.increment();
        if (upstream != null) {
            cluster.outlierDetector().onGatewayFailure(endpoint, GatewayFailure.TIMEOUT);
        }
        fail(ProxyFailure.UPSTREAM_TIMEOUT);
    }

    /** Whether the request has been read to its end. */
    boolean requestEnded() {
        return requestEnded;
    }

    /** The route's idle timeout in nanoseconds, or 0 when the listener's applies. */
    long idleTimeoutNanos() {
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
    private void fail(ProxyFailure failure) {
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

    private void releaseUpstream() {
        if (upstream != null) {
            upstream.close();
            upstream = null;
        }
        if (waitingForConnection) {
            waitingForConnection = false;
            // Out of the pool's wait queue; but a connect begun for us still calls back when done.
            abandonedConnect = true;
            conn.pools().cancel(endpoint, this);
            held = cluster.breaker().release(held, BreakerResource.PENDING_REQUESTS);
        }
    }

    private void finish(boolean close) {
        finished = true;
        writePendingHead(); // an abort after the head: the client gets the head, then the close, as before
        cancelAttemptTimer();
        if (backoffTimer != null) {
            backoffTimer.cancel(false);
            backoffTimer = null;
        }
        endAttempt();
        if (held != 0) {
            // Every way a request ends comes through here; held is cleared, so it runs once.
            held = cluster.breaker().releaseAll(held);
        }
        HeldParts.releaseAll(pending);
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

    private void endAttempt() {
        if (endpointActive) {
            endpointActive = false;
            endpoint.requestEnded();
        }
    }

    private void cancelAttemptTimer() {
        if (attemptTimer != null) {
            attemptTimer.cancel(false);
            attemptTimer = null;
        }
    }
}
