package dev.meridian.engine.codec;

import io.netty.buffer.ByteBuf;

/**
 * A request head as {@link Http1RequestDecoder} emits it: request line and fields as offsets over
 * the received bytes, plus the framing the decoder derived (RFC 9112 §6).
 *
 * <p>Allocating accessors ({@link #method()}, {@link #target()}, {@link #header(String)}) exist for
 * logs and tests; the proxy's hot path uses the offsets.
 */
public final class HttpRequestHead extends HttpHead {

    private int methodLength;
    private int targetOffset;
    private int targetLength;
    private int pathOffset;
    private int pathLength;
    private int queryOffset;
    private int authorityOffset;
    private int authorityLength;
    private boolean absoluteForm;
    private boolean asteriskForm;
    private boolean headMethod;
    private int hostIndex;
    private boolean expectContinue;

    HttpRequestHead(ByteBuf buffer, HeadFields table, RequestLine line, boolean chunked, boolean keepAlive) {
        super(buffer, table, line.http11, chunked, keepAlive);
        initLine(table, line);
    }

    /** The decoder's next head in {@code previous} (a recycled head of this decoder) when there is one, else a new head. */
    static HttpRequestHead of(HttpHead previous, ByteBuf buffer, HeadFields table, RequestLine line, boolean chunked,
                              boolean keepAlive) {
        if (previous instanceof HttpRequestHead h) {
            h.init(buffer, line.http11, chunked, keepAlive);
            h.initLine(table, line);
            return h;
        }
        return new HttpRequestHead(buffer, table, line, chunked, keepAlive);
    }

    private void initLine(HeadFields table, RequestLine line) {
        this.methodLength = line.methodLength;
        this.targetOffset = line.targetOffset;
        this.targetLength = line.targetLength;
        this.pathOffset = line.pathOffset;
        this.pathLength = line.pathLength;
        this.queryOffset = line.queryOffset;
        this.authorityOffset = line.authorityOffset;
        this.authorityLength = line.authorityLength;
        this.absoluteForm = line.absoluteForm;
        this.asteriskForm = line.asteriskForm;
        this.headMethod = line.headMethod;
        this.hostIndex = table.hostIndex;
        // RFC 9110 §10.1.1: a server MUST ignore a 100-continue expectation in an HTTP/1.0 request.
        this.expectContinue = line.http11 && table.expectContinue;
    }

    /** Always 0: the method starts the head. */
    public int methodOffset() {
        return 0;
    }

    public int methodLength() {
        return methodLength;
    }

    /** Whether the method is exactly {@code HEAD} (methods are case-sensitive, RFC 9110 §9.1). */
    public boolean isHeadMethod() {
        return headMethod;
    }

    /** The method as a String. Allocates. */
    public String method() {
        return string(0, methodLength);
    }

    public int targetOffset() {
        return targetOffset;
    }

    public int targetLength() {
        return targetLength;
    }

    /** The request-target as received. Allocates. */
    public String target() {
        return string(targetOffset, targetLength);
    }

    /** Whether the target is absolute-form ({@code http://authority/path?query}, RFC 9112 §3.2.2). */
    public boolean absoluteForm() {
        return absoluteForm;
    }

    /** Whether the target is asterisk-form ({@code *}, only with OPTIONS, RFC 9112 §3.2.4). */
    public boolean asteriskForm() {
        return asteriskForm;
    }

    /**
     * Offset of the path: the origin-form path, the path of an absolute-form target (may be empty:
     * treat as "/"), or the {@code *} of asterisk-form. Never includes the query.
     */
    public int pathOffset() {
        return pathOffset;
    }

    public int pathLength() {
        return pathLength;
    }

    /** Offset of the {@code ?} that starts the query, or -1 when there is none. */
    public int queryOffset() {
        return queryOffset;
    }

    /** Length of the query including its {@code ?}, or 0 when there is none. */
    public int queryLength() {
        return queryOffset < 0 ? 0 : targetOffset + targetLength - queryOffset;
    }

    /** Offset of the authority of an absolute-form target, or -1 for other forms. */
    public int authorityOffset() {
        return authorityOffset;
    }

    /** Length of the authority of an absolute-form target, or 0 for other forms. */
    public int authorityLength() {
        return authorityLength;
    }

    /** Index of the (single) Host field, or -1 when absent (HTTP/1.0 only). */
    public int hostIndex() {
        return hostIndex;
    }

    /** Whether the request has a body: Content-Length above zero or chunked. */
    public boolean hasBody() {
        return chunked() || contentLength() > 0;
    }

    /** Whether an HTTP/1.1 client sent {@code Expect: 100-continue} and waits for a 100 response. */
    public boolean expectContinue() {
        return expectContinue;
    }

    @Override
    public String toString() {
        return "HttpRequestHead(" + method() + ' ' + target() + (http11() ? " HTTP/1.1" : " HTTP/1.0")
                + ", headers=" + headerCount() + ')';
    }
}
