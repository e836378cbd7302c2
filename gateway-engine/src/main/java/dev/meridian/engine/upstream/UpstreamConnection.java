package dev.meridian.engine.upstream;

import dev.meridian.engine.codec.Http1ResponseDecoder;
import dev.meridian.engine.codec.HttpBodyEnd;
import dev.meridian.engine.codec.HttpDecodeError;
import dev.meridian.engine.codec.HttpResponseHead;
import dev.meridian.engine.internal.ReusableBuffer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One keep-alive connection to an endpoint, owned by the event loop of its pool, carrying at most
 * one request at a time. It is the last handler of the upstream pipeline and hands what the
 * response decoder produces to the {@link UpstreamListener} that currently owns it.
 */
public final class UpstreamConnection extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(UpstreamConnection.class);

    private final EndpointPool pool;
    private final Http1ResponseDecoder decoder;
    private Channel channel;
    private UpstreamListener listener;
    private int requests;
    /** The buffer each request head is encoded into, reused once written. */
    private final ReusableBuffer heads = new ReusableBuffer();
    long idleSinceNanos;

    UpstreamConnection(EndpointPool pool, Http1ResponseDecoder decoder) {
        this.pool = pool;
        this.decoder = decoder;
    }

    Http1ResponseDecoder decoder() {
        return decoder;
    }

    void attach(UpstreamListener l) {
        this.listener = l;
    }

    /** Whether this connection carried a request before the current one (it may have gone stale). */
    public boolean reused() {
        return requests > 1;
    }

    /** An empty buffer to encode the next request head into (the connection's own, reused once written). */
    public ByteBuf headBuffer(int minCapacity) {
        return heads.take(channel.alloc(), minCapacity);
    }

    /** Writes (without flushing) a request head and arms the decoder for its response. */
    public void sendHead(ByteBuf head, boolean headRequest) {
        requests++;
        decoder.expectResponse(headRequest);
        channel.write(head, channel.voidPromise());
    }

    /** Writes request bytes without flushing; the owner flushes once per event-loop pass. */
    public void write(ByteBuf data) {
        channel.write(data, channel.voidPromise());
    }

    public void flush() {
        channel.flush();
    }

    public boolean isWritable() {
        return channel.isWritable();
    }

    boolean isActive() {
        return channel.isActive();
    }

    /** Stops or resumes reading the response: backpressure from a slow downstream. */
    public void setAutoRead(boolean autoRead) {
        channel.config().setAutoRead(autoRead);
    }

    /**
     * Gives the connection back: to the pool when {@code reusable} (the whole request was written
     * and the whole response read, and both allow keep-alive), otherwise it is closed.
     */
    public void release(boolean reusable) {
        listener = null;
        if (reusable && channel.isActive()) {
            if (!channel.config().isAutoRead()) {
                // Idle in the pool it must read, to notice the origin closing it.
                channel.config().setAutoRead(true);
            }
            pool.release(this);
        } else {
            channel.close();
        }
    }

    /** Closes the connection without telling the listener, which is detached first. */
    public void close() {
        listener = null;
        if (channel != null) {
            channel.close();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.channel = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        UpstreamListener l = listener;
        if (l == null) {
            // Bytes from an idle connection answer nothing we asked: the connection is unusable.
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (msg instanceof ByteBuf data) {
            l.onResponseBody(data);
        } else if (msg instanceof HttpResponseHead head) {
            l.onResponseHead(head);
        } else if (msg instanceof HttpBodyEnd end) {
            l.onResponseEnd(end);
        } else if (msg instanceof HttpDecodeError error) {
            log.debug("upstream {} protocol error: {}", pool.endpoint().address(), error.reason());
            listener = null;
            ctx.close();
            l.onUpstreamFailed(UpstreamFailure.PROTOCOL_ERROR);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        UpstreamListener l = listener;
        if (l != null) {
            l.onUpstreamReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        UpstreamListener l = listener;
        if (l != null) {
            l.onUpstreamWritabilityChanged(ctx.channel().isWritable());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        UpstreamListener l = listener;
        listener = null;
        if (l != null) {
            l.onUpstreamFailed(UpstreamFailure.CLOSED);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and write failures end here; channelInactive tells the owner.
        log.debug("upstream {} connection error: {}", pool.endpoint().address(), cause.toString());
        ctx.close();
    }
}
