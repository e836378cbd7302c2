package dev.meridian.engine.upstream;

import dev.meridian.engine.codec.HttpBodyEnd;
import dev.meridian.engine.codec.HttpResponseHead;
import io.netty.buffer.ByteBuf;

/**
 * What an upstream connection reports to the one request it carries. All calls arrive on the
 * event loop that owns both the request and the connection.
 */
public interface UpstreamListener {

    /** A pooled or new connection is ready; the listener now owns it until it releases it. */
    void onUpstreamConnected(UpstreamConnection connection);

    /** No connection could be had: connect refused or failed, timed out, or the pool overflowed. */
    void onUpstreamUnavailable(UpstreamFailure failure);

    void onResponseHead(HttpResponseHead head);

    /** A slice of response payload; the listener releases it. */
    void onResponseBody(ByteBuf data);

    void onResponseEnd(HttpBodyEnd end);

    /** The connection failed before the response ended: protocol error, reset or close. */
    void onUpstreamFailed(UpstreamFailure failure);

    /** The end of one read pass on the upstream connection: the time to flush downstream. */
    void onUpstreamReadComplete();

    void onUpstreamWritabilityChanged(boolean writable);
}
