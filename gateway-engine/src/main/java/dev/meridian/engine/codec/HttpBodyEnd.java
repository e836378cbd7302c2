package dev.meridian.engine.codec;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * Marks the end of one message body; the decoders emit it after every head, even a body-less one.
 *
 * <p>{@link #EMPTY} (no trailers) is a shared constant whose {@code release()} is a no-op. An end
 * that carries the trailer section of a chunked body owns a retained slice of those bytes and must
 * be released once.
 */
public final class HttpBodyEnd implements ReferenceCounted {

    /** The end of a body without trailers; shared, never released. */
    public static final HttpBodyEnd EMPTY = new HttpBodyEnd(null);

    private final ByteBuf trailers;

    private HttpBodyEnd(ByteBuf trailers) {
        this.trailers = trailers;
    }

    static HttpBodyEnd withTrailers(ByteBuf trailers) {
        return new HttpBodyEnd(trailers);
    }

    /**
     * The raw trailer field lines of a chunked body, each ending in CRLF, without the empty line
     * that ends the section; null when there are none. Not retained for the caller.
     */
    public ByteBuf trailers() {
        return trailers;
    }

    @Override
    public int refCnt() {
        return trailers == null ? 1 : trailers.refCnt();
    }

    @Override
    public HttpBodyEnd retain() {
        if (trailers != null) {
            trailers.retain();
        }
        return this;
    }

    @Override
    public HttpBodyEnd retain(int increment) {
        if (trailers != null) {
            trailers.retain(increment);
        }
        return this;
    }

    @Override
    public HttpBodyEnd touch() {
        return this;
    }

    @Override
    public HttpBodyEnd touch(Object hint) {
        if (trailers != null) {
            trailers.touch(hint);
        }
        return this;
    }

    @Override
    public boolean release() {
        return trailers != null && trailers.release();
    }

    @Override
    public boolean release(int decrement) {
        return trailers != null && trailers.release(decrement);
    }

    @Override
    public String toString() {
        return trailers == null ? "HttpBodyEnd.EMPTY" : "HttpBodyEnd(trailers=" + trailers.readableBytes() + "B)";
    }
}
