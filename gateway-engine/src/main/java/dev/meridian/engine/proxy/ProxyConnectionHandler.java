package dev.meridian.engine.proxy;

import dev.meridian.engine.codec.Http1RequestDecoder;
import dev.meridian.engine.codec.HttpBodyEnd;
import dev.meridian.engine.codec.HttpDecodeError;
import dev.meridian.engine.codec.HttpRequestHead;
import dev.meridian.engine.codec.LocalResponses;
import dev.meridian.engine.upstream.LoopPools;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler of one downstream HTTP/1.1 connection: it receives what {@link Http1RequestDecoder}
 * produces and runs one {@link ProxyExchange} at a time. Pipelined requests wait in the decoder
 * (which pauses after each request, with auto-read off) so responses go out in request order.
 */
public final class ProxyConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ProxyConnectionHandler.class);

    private final ProxyContext px;
    private final Http1RequestDecoder decoder;
    private final Runnable resumeTask = this::resumeNext;
    private final Runnable idleCheck = this::checkIdle;
    private final long idleTimeoutNanos;
    private ScheduledFuture<?> idleTimer;
    private long lastActivityNanos;
    private ChannelHandlerContext ctx;
    private LoopPools pools;
    private byte[] clientIp;
    private long clientHash;
    private ProxyExchange current;
    private boolean draining;
    private boolean closed;

    public ProxyConnectionHandler(ProxyContext px, Http1RequestDecoder decoder, long idleTimeoutMs) {
        this.px = px;
        this.decoder = decoder;
        this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        px.stats().downstreamConnectionsTotal.increment();
        px.stats().downstreamConnectionsActive.increment();
        px.register(ctx.channel());
        pools = px.poolsFor(ctx.channel());
        String ip = ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : "unknown";
        clientIp = ip.getBytes(StandardCharsets.US_ASCII);
        clientHash = ip.hashCode() * 0x9E3779B97F4A7C15L;
        if (px.draining()) {
            draining = true;
        }
        lastActivityNanos = System.nanoTime();
        idleTimer = ctx.executor().schedule(idleCheck, idleTimeoutNanos, TimeUnit.NANOSECONDS);
        // reactor-netty accepts with auto-read off (its reactive bridge requests reads); we read eagerly.
        ctx.channel().config().setAutoRead(true);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastActivityNanos = System.nanoTime();
        if (msg instanceof ByteBuf data) {
            if (current != null) {
                current.onRequestBody(data);
            } else {
                data.release();
            }
        } else if (msg instanceof HttpRequestHead head) {
            current = new ProxyExchange(this, ctx, head, px.snapshot());
            current.start();
        } else if (msg instanceof HttpBodyEnd end) {
            // The decoder pauses after each request; stop reading until the response is done so
            // a client cannot pile pipelined bytes into memory (ARCHITECTURE.md rule 3).
            ctx.channel().config().setAutoRead(false);
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
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (current != null) {
            current.onDownstreamWritabilityChanged(ctx.channel().isWritable());
        }
    }

    /**
     * The idle timeout: one timer per connection that re-arms itself for the time left, instead
     * of Netty's IdleStateHandler, which allocates a promise per write to watch write activity.
     * Activity is any downstream read or any upstream progress of the exchange in flight.
     */
    private void checkIdle() {
        if (closed) {
            return;
        }
        long idle = System.nanoTime() - lastActivityNanos;
        if (idle < idleTimeoutNanos) {
            idleTimer = ctx.executor().schedule(idleCheck, idleTimeoutNanos - idle, TimeUnit.NANOSECONDS);
        } else if (current == null) {
            ctx.close();
        } else {
            current.onDownstreamIdle();
            lastActivityNanos = System.nanoTime();
            idleTimer = ctx.executor().schedule(idleCheck, idleTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Records activity that keeps the connection from idling out (upstream progress). */
    void touch(long nowNanos) {
        lastActivityNanos = nowNanos;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        if (idleTimer != null) {
            idleTimer.cancel(false);
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
    void exchangeFinished(boolean close) {
        current = null;
        if (close || draining || closed) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            // Resume outside the upstream's read loop that completed the response.
            ctx.executor().execute(resumeTask);
        }
    }

    private void resumeNext() {
        if (closed || current != null || !ctx.channel().isActive()) {
            return;
        }
        ctx.channel().config().setAutoRead(true);
        decoder.resume();
        // Requests decoded from already-buffered bytes arrive outside a read pass: flush them here.
        if (current != null) {
            current.flushUpstream();
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
        ctx.channel().config().setAutoRead(autoRead);
    }

    boolean draining() {
        return draining;
    }

    LoopPools pools() {
        return pools;
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
