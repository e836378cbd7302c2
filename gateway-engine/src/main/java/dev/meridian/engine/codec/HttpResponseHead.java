package dev.meridian.engine.codec;

import io.netty.buffer.ByteBuf;

/**
 * A response head as {@link Http1ResponseDecoder} emits it: status line and fields as offsets over
 * the received bytes, plus the body framing chosen by RFC 9112 §6.3.
 *
 * <p>Check {@link #noBody()} first: for a response to HEAD, 204 or 304, {@link #contentLength()}
 * and {@link #chunked()} still report the fields the origin sent (so a HEAD answer can carry the
 * real length), but no body bytes follow the head.
 */
public final class HttpResponseHead extends HttpHead {

    private int status;
    private int reasonOffset;
    private int reasonLength;
    private boolean closeDelimited;
    private boolean noBody;

    HttpResponseHead(ByteBuf buffer, HeadFields table, int status, int reasonOffset, int reasonLength,
                     boolean http11, boolean chunked, boolean closeDelimited, boolean noBody, boolean keepAlive) {
        super(buffer, table, http11, chunked, keepAlive);
        initStatus(status, reasonOffset, reasonLength, closeDelimited, noBody);
    }

    /** The decoder's next head in {@code previous} (a recycled head of this decoder) when there is one, else a new head. */
    static HttpResponseHead of(HttpHead previous, ByteBuf buffer, HeadFields table, int status, int reasonOffset,
                               int reasonLength, boolean http11, boolean chunked, boolean closeDelimited, boolean noBody,
                               boolean keepAlive) {
        if (previous instanceof HttpResponseHead h) {
            h.init(buffer, http11, chunked, keepAlive);
            h.initStatus(status, reasonOffset, reasonLength, closeDelimited, noBody);
            return h;
        }
        return new HttpResponseHead(buffer, table, status, reasonOffset, reasonLength, http11, chunked,
                closeDelimited, noBody, keepAlive);
    }

    private void initStatus(int status, int reasonOffset, int reasonLength, boolean closeDelimited, boolean noBody) {
        this.status = status;
        this.reasonOffset = reasonOffset;
        this.reasonLength = reasonLength;
        this.closeDelimited = closeDelimited;
        this.noBody = noBody;
    }

    /** The three-digit status code, 100..599. */
    public int status() {
        return status;
    }

    public int reasonOffset() {
        return reasonOffset;
    }

    /** Length of the reason phrase; 0 when the origin sent none. */
    public int reasonLength() {
        return reasonLength;
    }

    /** The reason phrase. Allocates. */
    public String reason() {
        return string(reasonOffset, reasonLength);
    }

    /** Whether the body runs until the origin closes the connection (RFC 9112 §6.3 rule 8). */
    public boolean closeDelimited() {
        return closeDelimited;
    }

    /** Whether no body bytes follow: response to HEAD, 1xx, 204, 304, or Content-Length 0. */
    public boolean noBody() {
        return noBody;
    }

    @Override
    public String toString() {
        return "HttpResponseHead(" + status + (http11() ? " HTTP/1.1" : " HTTP/1.0") + ", headers=" + headerCount() + ')';
    }
}
