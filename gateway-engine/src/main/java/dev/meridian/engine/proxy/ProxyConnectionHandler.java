package dev.meridian.engine.proxy;

import dev.meridian.engine.codec.Http1RequestDecoder;
import dev.meridian.engine.codec.HttpBodyEnd;
import dev.meridian.engine.codec.HttpDecodeError;
import dev.meridian.engine.codec.HttpRequestHead;
import dev.meridian.engine.codec.LocalResponses;
import dev.meridian.engine.filter.FilterChain;
import dev.meridian.engine.filter.FilterExecution;
import dev.meridian.engine.internal.ReusableBuffer;
import dev.meridian.engine.limit.LoopClock;
import dev.meridian.engine.runtime.RuntimeSnapshot;
import dev.meridian.engine.upstream.LoopPools;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler of one downstream HTTP/1.1 connection: it receives what {@link Http1RequestDecoder}
 * produces and runs one {@link ProxyExchange} at a time. Pipelined requests wait in the decoder
 * (which pauses after each request) so responses go out in request order.
 *
 * <p>Reading stays on between requests: turning auto-read off and on around every request would
 * cost two {@code epoll_ctl} calls per request. The decoder bounds what a pipelining client can
 * make us buffer instead (it stops reading past {@link Http1RequestDecoder#DEFAULT_MAX_PIPELINED_BYTES}).
 * The connection allows half-closure, so a client that sends its request and then shuts down its
 * side (HTTP/1.0 tools, {@code nc}) still gets the response, and its buffered pipelined requests
 * too, before we close.
 *
 * <p>It also enforces the connection's deadlines with one timer that re-arms itself for the time
 * left (never a timer per read or per write):
 * <ul>
 *   <li>the request head deadline: a new connection, or a request whose first bytes have arrived,
 *       must deliver the whole head within {@code request_head_timeout_ms} (slowloris: a client
 *       trickling header bytes to hold a connection forever);</li>
 *   <li>the body rate: while we are reading a request body and not pausing it ourselves, the client
 *       must deliver at least {@code min_body_rate_bytes_per_s} per window (slow POST / R.U.D.Y.);</li>
 *   <li>the idle timeout: no request, or no progress of the exchange in flight.</li>
 * </ul>
 * Time comes from the event loop's {@link LoopClock}: one clock read per loop iteration.
 */
public final class ProxyConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ProxyConnectionHandler.class);

    private final ProxyContext px;
    private final Http1RequestDecoder decoder;
    private final Runnable resumeTask = this::resumeNext;
    private final Runnable timerTask = this::onTimer;
    private final DownstreamPolicy policy;
    private LoopClock clock;
    private ScheduledFuture<?> timer;
    private long timerDeadline;
    private long lastActivityNanos;
    /** Waiting for a request head with a deadline: a new connection, or first bytes have arrived. */
    private boolean awaitingHead;
    /** Some bytes of the awaited head have arrived (408 rather than a silent close). */
    private boolean headBytes;
    private long headStartNanos;
    private boolean bodyMetered;
    private long bodyWindowStart;
    private long bodyWindowBytes;
    private ChannelHandlerContext ctx;
    private LoopPools pools;
    private InetAddress clientAddress;
    private byte[] clientIp;
    private long clientHash;
    private ProxyExchange current;
    /** The buffer each response head is encoded into, reused once written. */
    private final ReusableBuffer responseHeads = new ReusableBuffer();
    /** The finished exchange the next request runs on (see ProxyExchange#reusable), or null. */
    private ProxyExchange spare;
    private boolean draining;
    private boolean closed;
    /** The client shut down its side: serve what it sent, then close. */
    private boolean inputShutdown;
    /** Reused by the connection's requests while no filter waits (see FilterExecution#reusable). */
    private FilterExecution filters;
    private RuntimeSnapshot filtersSnapshot;
    private FilterChain listenerFilters = FilterChain.EMPTY;

    public ProxyConnectionHandler(ProxyContext px, Http1RequestDecoder decoder, DownstreamPolicy policy) {
        this.px = px;
        this.decoder = decoder;
        this.policy = policy;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        ctx.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        px.stats().downstreamConnectionsTotal.increment();
        px.stats().downstreamConnectionsActive.increment();
        px.register(ctx.channel());
        pools = px.poolsFor(ctx.channel());
        clock = px.clockFor(ctx.channel());
        clientAddress = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        String ip = clientAddress != null ? clientAddress.getHostAddress() : "unknown";
        clientIp = ip.getBytes(StandardCharsets.US_ASCII);
        clientHash = ip.hashCode() * 0x9E3779B97F4A7C15L;
        if (px.draining()) {
            draining = true;
        }
        lastActivityNanos = clock.read();
        // The head deadline of the first request runs from accept: a connection that never sends
        // a byte is a slowloris too (silently closed), not a keep-alive connection.
        awaitingHead = true;
        headStartNanos = lastActivityNanos;
        arm(nextDeadline());
        // reactor-netty accepts with auto-read off (its reactive bridge requests reads); we read eagerly.
        ctx.channel().config().setAutoRead(true);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastActivityNanos = clock.read();
        if (msg instanceof ByteBuf data) {
            if (bodyMetered) {
                bodyWindowBytes += data.readableBytes();
            }
            if (current != null) {
                current.onRequestBody(data);
            } else {
                data.release();
            }
        } else if (msg instanceof HttpRequestHead head) {
            awaitingHead = false;
            headBytes = false;
            ProxyExchange exchange = spare != null ? spare : new ProxyExchange(this, ctx);
            spare = null;
            current = exchange;
            exchange.start(head, px.snapshot());
            arm(nextDeadline());
        } else if (msg instanceof HttpBodyEnd end) {
            bodyMetered = false;
            if (current != null) {
                current.onRequestEnd(end);
            } else {
                end.release();
            }
        } else if (msg instanceof HttpDecodeError error) {
            onDecodeError(error);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onDecodeError(HttpDecodeError error) {
        px.stats().requestsRejected.increment();
        log.debug("rejected request from {}: {} {}", ctx.channel().remoteAddress(), error.status(), error.reason());
        if (current != null) {
            current.onDownstreamProtocolError(error.status());
        } else {
            px.stats().countResponse(error.status());
            // Framing is in doubt after a bad request: answer and close (RFC 9112 §11.2).
            ctx.writeAndFlush(LocalResponses.error(ctx.alloc(), error.status(), true))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (current != null) {
            current.flushUpstream();
        } else if (!closed && !decoder.paused()) {
            // Bytes arrived but no complete head: a request has begun and its head deadline runs.
            // Whole requests normally arrive in one read, so this re-arms only for split heads.
            if (!awaitingHead) {
                awaitingHead = true;
                headStartNanos = clock.read();
            }
            headBytes = true;
            arm(nextDeadline());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShutdown = true;
            boolean requestsWaiting = current != null ? current.requestEnded() : decoder.paused() && decoder.hasBufferedBytes();
            if (!requestsWaiting) {
                // Idle, a head cut short, or a request body cut short: nothing more can come.
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (current != null) {
            current.onDownstreamWritabilityChanged(ctx.channel().isWritable());
        }
    }

    // ---- deadlines: one timer per connection ------------------------------------------------

    /**
     * The earliest deadline in force. The timer is armed for it and, when it fires early (state
     * moved on), simply re-arms for the time left: no timer is created or cancelled per request.
     */
    private long nextDeadline() {
        if (current == null) {
            return awaitingHead ? headStartNanos + policy.headTimeoutNanos()
                    : lastActivityNanos + policy.idleTimeoutNanos();
        }
        long deadline = lastActivityNanos + exchangeIdleNanos();
        long timeout = current.timeoutDeadline();
        if (timeout != 0) {
            deadline = Math.min(deadline, timeout);
        }
        if (bodyMetered) {
            deadline = Math.min(deadline, bodyWindowStart + policy.bodyWindowNanos());
        }
        return deadline;
    }

    /** The idle timeout of the exchange in flight: its route's {@code idle_timeout_ms}, else the listener's. */
    private long exchangeIdleNanos() {
        long route = current == null ? 0 : current.idleTimeoutNanos();
        return route > 0 ? route : policy.idleTimeoutNanos();
    }

    /** The exchange in flight now has its own idle timeout: make the timer honour it. */
    void exchangeIdleTimeoutKnown() {
        arm(nextDeadline());
    }

    /** Makes the timer fire no later than {@code deadline}; a no-op when it already does. */
    private void arm(long deadline) {
        if (closed) {
            return;
        }
        if (timer != null) {
            if (timerDeadline - deadline <= 0) {
                return;
            }
            timer.cancel(false);
        }
        timerDeadline = deadline;
        timer = ctx.executor().schedule(timerTask, Math.max(0, deadline - clock.read()), TimeUnit.NANOSECONDS);
    }

    private void onTimer() {
        timer = null;
        if (closed) {
            return;
        }
        long now = clock.read();
        if (current == null) {
            if (awaitingHead) {
                if (now - headStartNanos >= policy.headTimeoutNanos()) {
                    onHeadTimeout();
                    return;
                }
            } else if (now - lastActivityNanos >= policy.idleTimeoutNanos()) {
                ctx.close();
                return;
            }
        } else {
            if (bodyMetered && checkBodyRate(now)) {
                return;
            }
            long timeout = current.timeoutDeadline();
            if (timeout != 0 && now - timeout >= 0) {
                // The route's timeout_ms ran out before the response began (504).
                current.onTimeout();
                if (closed) {
                    return;
                }
            }
            if (current != null && now - lastActivityNanos >= exchangeIdleNanos()) {
                current.onDownstreamIdle();
                lastActivityNanos = now;
            }
        }
        arm(nextDeadline());
    }

    /** The head did not arrive in time: 408 and close if it had begun, else close without a word. */
    private void onHeadTimeout() {
        px.stats().requestHeadTimeouts.increment();
        log.debug("request head timeout from {} ({} bytes)", ctx.channel().remoteAddress(),
                headBytes ? "some" : "no");
        closed = true;
        if (headBytes) {
            px.stats().countResponse(408);
            ctx.writeAndFlush(LocalResponses.error(ctx.alloc(), 408, true)).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    /**
     * Judges the body window that ends now. A window in which we paused reading (the upstream was
     * not writable, or not connected yet) says nothing about the client, so it starts over.
     *
     * @return whether the request was refused (the exchange has ended)
     */
    private boolean checkBodyRate(long now) {
        if (!ctx.channel().config().isAutoRead()) {
            bodyWindowStart = now;
            bodyWindowBytes = 0;
            return false;
        }
        long elapsed = now - bodyWindowStart;
        if (elapsed < policy.bodyWindowNanos()) {
            return false;
        }
        double required = policy.minBodyBytesPerSecond() * (elapsed / 1e9);
        if (bodyWindowBytes < required) {
            px.stats().requestBodyTooSlow.increment();
            log.debug("request body too slow from {}: {} bytes in {} ms", ctx.channel().remoteAddress(),
                    bodyWindowBytes, elapsed / 1_000_000);
            bodyMetered = false;
            current.onDownstreamProtocolError(408);
            return true;
        }
        bodyWindowStart = now;
        bodyWindowBytes = 0;
        return false;
    }

    /**
     * Called by the exchange when it starts waiting for the request body from the client (the
     * upstream is connected and any 100 Continue sent): the body rate is measured from here.
     */
    void startBodyMeter() {
        if (policy.minBodyBytesPerSecond() <= 0) {
            return;
        }
        bodyMetered = true;
        bodyWindowStart = clock.read();
        bodyWindowBytes = 0;
        arm(nextDeadline());
    }

    /** The current time of this connection's event loop (coarse: one clock read per iteration). */
    long now() {
        return clock.read();
    }

    /** Records activity that keeps the connection from idling out (upstream progress). */
    void touch(long nowNanos) {
        lastActivityNanos = nowNanos;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        px.stats().downstreamConnectionsActive.decrement();
        if (current != null) {
            current.onDownstreamClosed();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and broken pipes from clients are routine; never log them per request above debug.
        log.debug("downstream {} error: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    /** Called by the exchange when it is done; the connection closes or takes the next request. */
    void exchangeFinished(ProxyExchange exchange, boolean close) {
        current = null;
        spare = exchange.reusable() ? exchange : null;
        bodyMetered = false;
        boolean buffered = decoder.hasBufferedBytes();
        if (close || draining || closed || (inputShutdown && !buffered)) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else if (decoder.paused() && !buffered) {
            // The common case: nothing pipelined, so resuming decodes nothing and cannot re-enter
            // the upstream's read loop that completed the response. No task, no wake-up.
            resumeNext();
        } else {
            // A pipelined request is buffered (decoding it now would run a new exchange inside
            // this one's call stack), or the decoder has not reached the request's end yet (an
            // early answer): resume once the current read and decode have unwound.
            ctx.executor().execute(resumeTask);
        }
    }

    private void resumeNext() {
        if (closed || current != null || !ctx.channel().isActive()) {
            return;
        }
        if (!ctx.channel().config().isAutoRead()) {
            // Off when the decoder bounded a pipelining client, or the exchange paused its body.
            ctx.channel().config().setAutoRead(true);
        }
        decoder.resume();
        if (current != null) {
            // Requests decoded from already-buffered bytes arrive outside a read pass: flush them here.
            current.flushUpstream();
        } else if (inputShutdown) {
            ctx.close(); // the client sent nothing more, or half a request, before shutting down
        }
    }

    /** Stops taking requests: closes now when idle, else after the response in flight. */
    void drain() {
        draining = true;
        if (current == null) {
            ctx.close();
        }
    }

    void setAutoRead(boolean autoRead) {
        if (autoRead && bodyMetered && !ctx.channel().config().isAutoRead()) {
            // We paused the body, not the client: its window starts when we read again.
            bodyWindowStart = clock.read();
            bodyWindowBytes = 0;
        }
        ctx.channel().config().setAutoRead(autoRead);
    }

    boolean draining() {
        return draining;
    }

    /** This listener's filter chain in {@code snapshot}: looked up once per snapshot, not per request. */
    FilterChain listenerFilters(RuntimeSnapshot snapshot) {
        if (snapshot != filtersSnapshot) {
            listenerFilters = snapshot.listenerFilters(policy.listenerName());
            filtersSnapshot = snapshot;
        }
        return listenerFilters;
    }

    /** The filter execution for a new request: the connection's own, or a fresh one after a filter waited. */
    FilterExecution filterExecution(HttpRequestHead head, FilterExecution.Continuation exchange) {
        if (filters == null || !filters.reusable()) {
            filters = FilterExecution.create(ctx.executor());
        }
        filters.begin(head, clientAddress, exchange);
        return filters;
    }

    /** An empty buffer to encode the next response head into (the connection's own, reused once written). */
    ByteBuf responseHeadBuffer(int minCapacity) {
        return responseHeads.take(ctx.alloc(), minCapacity);
    }

    LoopPools pools() {
        return pools;
    }

    /** The client's address, or null when the connection has none (the rate limits then do not apply). */
    InetAddress clientAddress() {
        return clientAddress;
    }

    DownstreamPolicy policy() {
        return policy;
    }

    byte[] clientIp() {
        return clientIp;
    }

    long clientHash() {
        return clientHash;
    }

    ProxyContext context() {
        return px;
    }
}
