package dev.meridian.engine.codec;

import io.netty.buffer.ByteBuf;

/**
 * Decodes HTTP/1.1 and HTTP/1.0 requests from a downstream connection into {@link HttpRequestHead},
 * body {@link ByteBuf}s and {@link HttpBodyEnd}, or a single {@link HttpDecodeError}.
 *
 * <p>After each {@link HttpBodyEnd} the decoder pauses: bytes of pipelined requests are buffered,
 * not parsed, until the proxy calls {@link #resume()} on the event loop. Reading goes on while
 * paused (no {@code epoll_ctl} per request) until more than {@link #DEFAULT_MAX_PIPELINED_BYTES}
 * are buffered; then the decoder turns auto-read off, which bounds what a pipelining client can
 * make us hold, and the proxy turns it back on when it resumes.
 *
 * <p>Framing is strict (RFC 9112 §6): a request whose length two parsers could read differently is
 * refused with 400 rather than guessed at.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>constant</th><th>default</th><th>when exceeded</th></tr>
 *   <tr><td>{@link #DEFAULT_MAX_REQUEST_LINE_BYTES}</td><td>8192</td>
 *       <td>414; also bounds a chunk-size line with its extensions (400)</td></tr>
 *   <tr><td>{@link #DEFAULT_MAX_HEADER_BYTES}</td><td>65536</td>
 *       <td>431; field lines with their CRLFs, and separately the trailer section</td></tr>
 *   <tr><td>{@link #DEFAULT_MAX_HEADER_COUNT}</td><td>100</td><td>431; fields, and separately trailer fields</td></tr>
 *   <tr><td>{@link #MAX_LEADING_EMPTY_LINES}</td><td>4</td><td>400</td></tr>
 * </table>
 *
 * <p>One instance per channel; not sharable.
 */
public final class Http1RequestDecoder extends Http1Decoder {

    public static final int DEFAULT_MAX_REQUEST_LINE_BYTES = 8192;
    public static final int DEFAULT_MAX_HEADER_BYTES = 65536;
    public static final int DEFAULT_MAX_HEADER_COUNT = 100;

    /**
     * Bytes of pipelined requests buffered while a request is in flight before reading stops: a
     * few dozen typical requests, far less than a client could otherwise push into memory.
     */
    public static final int DEFAULT_MAX_PIPELINED_BYTES = 64 * 1024;

    /**
     * RFC 9112 §2.2 lets a server skip empty lines before a request line (clients that send a CRLF
     * after a POST body); a few are tolerated, an endless stream is not.
     */
    public static final int MAX_LEADING_EMPTY_LINES = 4;

    private final int maxRequestLineBytes;
    private final RequestLine line = new RequestLine();
    private int emptyLines;

    /** A decoder with the {@code DEFAULT_*} limits. */
    public Http1RequestDecoder() {
        this(DEFAULT_MAX_REQUEST_LINE_BYTES, DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_HEADER_COUNT);
    }

    public Http1RequestDecoder(int maxRequestLineBytes, int maxHeaderBytes, int maxHeaderCount) {
        super(maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, maxRequestLineBytes, DecodeErrors.REQUEST, HEAD);
        this.maxRequestLineBytes = positive("maxRequestLineBytes", maxRequestLineBytes);
    }

    /**
     * Lets the decoder parse the next request. Decodes and fires, synchronously, any pipelined
     * request already buffered. Call on the event loop; a no-op unless {@link #paused()}.
     */
    public void resume() {
        if (state != IDLE) {
            return;
        }
        state = HEAD;
        decode();
    }

    /** Whether a request has ended and the decoder waits for {@link #resume()}. */
    public boolean paused() {
        return state == IDLE;
    }

    /** Whether received bytes wait to be decoded (pipelined requests while paused). */
    public boolean hasBufferedBytes() {
        return cumulation != null && cumulation.isReadable();
    }

    @Override
    int maxStartLineBytes() {
        return maxRequestLineBytes;
    }

    @Override
    int onEmptyStartLine() {
        return ++emptyLines > MAX_LEADING_EMPTY_LINES ? DecodeErrors.TOO_MANY_EMPTY_LINES : -1;
    }

    @Override
    int parseStartLine(byte[] a, int base, int len) {
        return line.parse(a, base, len);
    }

    @Override
    boolean onHead(ByteBuf head, byte[] a, int base) {
        emptyLines = 0;
        HeadFields f = fields;
        f.finish(a, base);
        int error = validate(a, base, f, line);
        if (error >= 0) {
            head.release();
            return fail(error);
        }
        boolean chunked = f.transferEncodingCount == 1;
        // RFC 9112 §9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive".
        boolean keepAlive = line.http11 ? !f.connectionClose : f.connectionKeepAlive && !f.connectionClose;
        HttpRequestHead request = HttpRequestHead.of(f.takeSpare(), head, f, line, chunked, keepAlive);
        if (chunked) {
            startChunkedBody();
        } else {
            // RFC 9112 §6.3 rule 7: a request with neither field has no body.
            startFixedBody(Math.max(0, f.contentLength));
        }
        ctx.fireChannelRead(request);
        return true;
    }

    private static int validate(byte[] a, int base, HeadFields f, RequestLine line) {
        boolean http11 = line.http11;
        // RFC 9112 §3.2: exactly one Host in HTTP/1.1; two Hosts let two hops route differently.
        if (f.hostCount > 1) {
            return DecodeErrors.MULTIPLE_HOST;
        }
        if (f.hostCount == 0 && http11) {
            return DecodeErrors.MISSING_HOST;
        }
        if (f.hostIndex >= 0 && !validHost(a, base, f)) {
            return DecodeErrors.BAD_HOST;
        }
        if (line.absoluteForm && f.hostIndex >= 0 && !hostMatchesAuthority(a, base, f, line)) {
            // RFC 9112 §3.2 makes a client send a Host identical to the authority; §3.2.2 tells a
            // proxy to ignore Host and use the authority. We refuse the disagreement instead: a
            // filter, a log or the origin that reads Host would otherwise see another host than
            // the one we routed on (Host header confusion, cache poisoning). Identical means the
            // port too: "http://h:80/" with "Host: h" is refused, as no conforming client sends it.
            return DecodeErrors.HOST_MISMATCH;
        }
        if (f.transferEncodingCount > 0) {
            // RFC 9112 §6.1: Transfer-Encoding in a 1.0 message means faulty framing.
            if (!http11) {
                return DecodeErrors.TE_IN_HTTP10;
            }
            // RFC 9112 §6.3 rule 3: both fields is the classic CL.TE / TE.CL smuggling setup;
            // refuse rather than let Transfer-Encoding win as a lenient server would.
            if (f.contentLengthCount > 0) {
                return DecodeErrors.CL_AND_TE;
            }
            if (f.transferEncodingCount > 1) {
                return DecodeErrors.MULTIPLE_TE;
            }
            // Only "chunked" alone: any other coding list ("gzip, chunked", "xchunked",
            // "chunked, chunked") is one that another parser may read differently (TE.TE).
            if (!f.transferEncodingChunked) {
                return DecodeErrors.BAD_TE;
            }
        }
        // RFC 9112 §6.3 rule 5: conflicting or list-valued Content-Length is unrecoverable; we
        // refuse even identical duplicates so no hop ever has to choose.
        if (f.contentLengthCount > 1) {
            return DecodeErrors.MULTIPLE_CL;
        }
        if (f.contentLengthInvalid) {
            return DecodeErrors.BAD_CL;
        }
        // RFC 9110 §10.1.1: 417 for an expectation we cannot meet.
        if (f.expectOther) {
            return DecodeErrors.EXPECTATION_FAILED;
        }
        return -1;
    }

    /**
     * RFC 9110 §7.2 / RFC 3986 §3.2.2: Host = uri-host [ ":" port ]. Refusing other characters keeps
     * paths, userinfo and spaces out of a value that routing and X-Forwarded-Host trust.
     */
    private static boolean validHost(byte[] a, int base, HeadFields f) {
        int off = base + f.valueOffset(f.hostIndex);
        int len = f.valueLength(f.hostIndex);
        for (int i = 0; i < len; i++) {
            if (!HttpChars.isHostChar(a[off + i])) {
                return false;
            }
        }
        return true;
    }

    /** Whether the Host value equals the absolute-form authority, ignoring ASCII case (RFC 3986 §6.2.2.1). */
    private static boolean hostMatchesAuthority(byte[] a, int base, HeadFields f, RequestLine line) {
        int len = f.valueLength(f.hostIndex);
        return len == line.authorityLength
                && HttpChars.regionEqualsIgnoreCase(a, base + f.valueOffset(f.hostIndex), base + line.authorityOffset, len);
    }

    @Override
    void onMessageEnd() {
        state = IDLE;
    }

    @Override
    boolean onIdleBytes(ByteBuf buf) {
        if (buf.readableBytes() > DEFAULT_MAX_PIPELINED_BYTES && ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(false);
        }
        return false; // paused: pipelined bytes wait for resume()
    }
}
