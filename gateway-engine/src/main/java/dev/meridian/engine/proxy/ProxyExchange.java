package dev.meridian.engine.proxy;

import dev.meridian.engine.cluster.Cluster;
import dev.meridian.engine.cluster.Endpoint;
import dev.meridian.engine.codec.ChunkedEncoder;
import dev.meridian.engine.codec.Http1RequestEncoder;
import dev.meridian.engine.codec.Http1ResponseEncoder;
import dev.meridian.engine.codec.HttpBodyEnd;
import dev.meridian.engine.codec.HttpRequestHead;
import dev.meridian.engine.codec.HttpResponseHead;
import dev.meridian.engine.codec.LocalResponses;
import dev.meridian.engine.limit.RequestRateLimiter;
import dev.meridian.engine.observe.ProxyStats;
import dev.meridian.engine.route.Route;
import dev.meridian.engine.runtime.RuntimeSnapshot;
import dev.meridian.engine.upstream.UpstreamConnection;
import dev.meridian.engine.upstream.UpstreamFailure;
import dev.meridian.engine.upstream.UpstreamListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One proxied request, from its decoded head to the last byte of its response, with one method
 * per phase (route, pick, acquire, forward, respond) and {@link #fail} as the one place where a
 * {@link ProxyFailure} becomes a status code.
 *
 * <p>It lives on the downstream connection's event loop, as does the upstream connection it
 * borrows; nothing here locks or blocks. Bodies stream in both directions: when the receiving
 * side is not writable, reading from the sending side stops until it is.
 */
final class ProxyExchange implements UpstreamListener {

    /**
     * Attempts per request, counting the first: a connect failure, or a pooled connection found
     * closed before it carried anything, is retried once, on another endpoint when there is one
     * (nginx's {@code proxy_next_upstream error} default).
     */
    static final int DEFAULT_MAX_ATTEMPTS = 2;

    /**
     * The largest rest of a body we read and discard to keep a connection open after answering
     * early (429): small bodies are cheaper to drain than a reconnect; beyond this we close.
     */
    static final long MAX_DISCARD_BYTES = 64 * 1024;

    private final ProxyConnectionHandler conn;
    private final ChannelHandlerContext ctx;
    private final ByteBufAllocator alloc;
    private final HttpRequestHead head;
    private final RuntimeSnapshot snapshot;
    private final ProxyStats stats;

    private Route route;
    private Cluster cluster;
    private Endpoint endpoint;
    private boolean endpointActive;
    private UpstreamConnection upstream;
    private boolean waitingForConnection;
    private ArrayDeque<Object> pending;
    private ScheduledFuture<?> timeout;
    private int attempts;
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

    ProxyExchange(ProxyConnectionHandler conn, ChannelHandlerContext ctx, HttpRequestHead head,
                  RuntimeSnapshot snapshot) {
        this.conn = conn;
        this.ctx = ctx;
        this.alloc = ctx.alloc();
        this.head = head;
        this.snapshot = snapshot;
        this.stats = conn.context().stats();
    }

    // ---- phase: route -------------------------------------------------------------------------

    void start() {
        stats.requestsTotal.increment();
        stats.requestsActive.increment();
        if (!admitRate(conn.policy().rateLimiter())) {
            return;
        }
        route = matchRoute();
        if (route == null) {
            fail(ProxyFailure.NO_ROUTE);
            return;
        }
        // Listener and route limits both apply: the listener's bounds a client's share of the
        // gateway, the route's protects one expensive origin (a login form against credential stuffing).
        if (!admitRate(route.rateLimiter())) {
            return;
        }
        if (head.contentLength() > route.maxBodyBytes()) {
            // Refused before anything goes upstream; we will not read the body, so framing is lost.
            rejectBodyTooLarge();
            return;
        }
        cluster = route.cluster();
        if (route.timeoutMillis() > 0) {
            timeout = ctx.executor().schedule(this::onTimeout, route.timeoutMillis(), TimeUnit.MILLISECONDS);
        }
        pickAndAcquire(null);
    }

    private Route matchRoute() {
        int hostIndex = head.hostIndex();
        int hostOffset = hostIndex < 0 ? 0 : head.valueOffset(hostIndex);
        int hostLength = hostIndex < 0 ? -1 : head.valueLength(hostIndex);
        if (head.pathLength() == 0) {
            // Absolute-form target with an empty path means "/" (RFC 9112 §3.2.2); rare, so a String is fine.
            String host = hostIndex < 0 ? null : head.buffer().toString(hostOffset, hostLength,
                    java.nio.charset.StandardCharsets.US_ASCII);
            return snapshot.routes().match(host, "/");
        }
        return snapshot.routes().match(head.buffer(), hostOffset, hostLength, head.pathOffset(), head.pathLength());
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
        // Keep the connection when the rest of the request is small enough to drain: a client
        // made to reconnect for every 429 would cost us a handshake each time.
        boolean drainable = !head.chunked() && head.contentLength() <= MAX_DISCARD_BYTES;
        boolean close = !drainable || !head.keepAlive() || conn.draining();
        responseStarted = true;
        ctx.writeAndFlush(TooManyRequests.encode(alloc, TooManyRequests.retryAfterSeconds(wait), close),
                ctx.voidPromise());
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

    private void pickAndAcquire(Endpoint avoid) {
        Endpoint picked = cluster.loadBalancer().pick(conn.clientHash());
        if (avoid != null && picked == avoid) {
            // One more pick finds another endpoint unless the balancer insists (one endpoint left).
            Endpoint again = cluster.loadBalancer().pick(conn.clientHash() + 1);
            if (again != null) {
                picked = again;
            }
        }
        if (picked == null) {
            fail(ProxyFailure.NO_ENDPOINT);
            return;
        }
        endpoint = picked;
        endpoint.requestStarted();
        endpointActive = true;
        attempts++;
        waitingForConnection = true;
        conn.pools().acquire(cluster, endpoint, this);
    }

    @Override
    public void onUpstreamConnected(UpstreamConnection connection) {
        waitingForConnection = false;
        if (finished) {
            connection.release(true);
            return;
        }
        upstream = connection;
        forwardHead();
    }

    @Override
    public void onUpstreamUnavailable(UpstreamFailure failure) {
        waitingForConnection = false;
        if (finished) {
            return;
        }
        endAttempt();
        ProxyFailure f = switch (failure) {
            case CONNECT_TIMEOUT -> ProxyFailure.CONNECT_TIMEOUT;
            case POOL_OVERFLOW -> ProxyFailure.POOL_OVERFLOW;
            default -> ProxyFailure.CONNECT_FAILED;
        };
        if (f.retryable && attempts < DEFAULT_MAX_ATTEMPTS && !bodyStarted) {
            stats.upstreamRetries.increment();
            pickAndAcquire(endpoint);
            return;
        }
        fail(f);
    }

    // ---- phase: forward the request head and stream the body ----------------------------------

    private void forwardHead() {
        ByteBuf encoded = Http1RequestEncoder.encodeHead(alloc, head, conn.clientIp(), false,
                head.contentLength(), head.chunked(), cluster.hostHeader(endpoint));
        upstream.sendHead(encoded, head.isHeadMethod());
        if (head.expectContinue() && !requestEnded && !continueSent) {
            // We answer Expect ourselves (the encoder drops it): the body may come now (RFC 9110 §10.1.1).
            continueSent = true;
            ctx.writeAndFlush(LocalResponses.continue100(), ctx.voidPromise());
        }
        if (pending != null) {
            Object part;
            while ((part = pending.pollFirst()) != null) {
                if (part instanceof ByteBuf data) {
                    forwardBody(data);
                } else {
                    forwardEnd((HttpBodyEnd) part);
                }
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
        if (bodyBytes > route.maxBodyBytes()) {
            // A chunked body crossed the route's limit mid-stream (a Content-Length one was refused
            // up front): 413 if the response has not begun; either way the upstream connection,
            // holding a request cut short, is closed and never reused.
            data.release();
            rejectBodyTooLarge();
            return;
        }
        if (upstream == null) {
            // Still connecting: hold this read's worth and stop reading until the connection is up.
            if (pending == null) {
                pending = new ArrayDeque<>(4);
            }
            pending.addLast(data);
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
            if (pending == null) {
                pending = new ArrayDeque<>(1);
            }
            pending.addLast(end);
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
        cancelTimeout();
        int status = response.status();
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
        ctx.write(Http1ResponseEncoder.encodeHead(alloc, response, head.http11(), contentLength, chunked, close),
                ctx.voidPromise());
        response.release();
        responseStarted = true;
        stats.countResponse(status);
    }

    @Override
    public void onResponseBody(ByteBuf data) {
        if (finished) {
            data.release();
            return;
        }
        if (responseChunked) {
            ctx.write(ChunkedEncoder.chunkHeader(alloc, data.readableBytes()), ctx.voidPromise());
            ctx.write(data, ctx.voidPromise());
            ctx.write(ChunkedEncoder.crlf(), ctx.voidPromise());
        } else {
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

    @Override
    public void onUpstreamFailed(UpstreamFailure failure) {
        UpstreamConnection u = upstream;
        upstream = null;
        if (finished) {
            return;
        }
        if (!responseStarted && failure == UpstreamFailure.CLOSED && u != null && u.reused()
                && !bodyStarted && !head.hasBody() && attempts < DEFAULT_MAX_ATTEMPTS && idempotent()) {
            // The origin closed a pooled connection as we reused it: the classic keep-alive race.
            endAttempt();
            stats.upstreamRetries.increment();
            pickAndAcquire(null);
            return;
        }
        if (failure == UpstreamFailure.PROTOCOL_ERROR) {
            stats.upstreamProtocolErrors.increment();
        }
        if (responseStarted) {
            abort();
        } else {
            fail(failure == UpstreamFailure.PROTOCOL_ERROR ? ProxyFailure.UPSTREAM_PROTOCOL
                    : ProxyFailure.UPSTREAM_CLOSED);
        }
    }

    @Override
    public void onUpstreamReadComplete() {
        conn.touch(conn.now());
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

    private void onTimeout() {
        if (finished || responseStarted) {
            return;
        }
        stats.upstreamTimeouts.increment();
        fail(ProxyFailure.UPSTREAM_TIMEOUT);
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
        if (finished) {
            return;
        }
        releaseUpstream();
        if (responseStarted) {
            abort();
            return;
        }
        stats.countResponse(status);
        ctx.writeAndFlush(LocalResponses.error(alloc, status, true), ctx.voidPromise());
        finish(true);
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
        if (finished) {
            return;
        }
        releaseUpstream();
        if (responseStarted) {
            abort();
            return;
        }
        int status = failure.status;
        stats.countResponse(status);
        // A request whose body was not read to its end leaves the connection's framing in doubt.
        // A body-less request is whole once its head is decoded (its end marker follows at once).
        boolean bodyPending = !requestEnded && head.hasBody();
        boolean close = bodyPending || !head.keepAlive() || conn.draining();
        ctx.writeAndFlush(LocalResponses.error(alloc, status, close), ctx.voidPromise());
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
            conn.pools().cancel(endpoint, this);
        }
    }

    private void finish(boolean close) {
        finished = true;
        cancelTimeout();
        endAttempt();
        if (pending != null) {
            Object part;
            while ((part = pending.pollFirst()) != null) {
                ReferenceCountUtil.release(part);
            }
        }
        stats.requestsActive.decrement();
        head.release();
        conn.exchangeFinished(close);
    }

    private void endAttempt() {
        if (endpointActive) {
            endpointActive = false;
            endpoint.requestEnded();
        }
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    private boolean idempotent() {
        // RFC 9110 §9.2.2; only reached on the rare stale-connection path, so a String is fine.
        return switch (head.method()) {
            case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE" -> true;
            default -> false;
        };
    }
}
