package dev.meridian.engine.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * Decodes HTTP/1.x responses from an upstream connection into {@link HttpResponseHead}, body
 * {@link ByteBuf}s and {@link HttpBodyEnd}, or a single {@link HttpDecodeError} (always 502).
 *
 * <p>The proxy calls {@link #expectResponse(boolean)} before writing each request. Bytes that
 * arrive while no response is outstanding are an error: an origin that answers twice, or a stale
 * response on a pooled connection, would otherwise be delivered to the next client (response
 * queue poisoning).
 *
 * <p>Body framing follows RFC 9112 §6.3 in order: responses to HEAD and 1xx/204/304 have no body;
 * interim 1xx responses are consumed silently; 101 is an error (we never ask to upgrade);
 * {@code Transfer-Encoding: chunked} alone is chunked; a single valid Content-Length is fixed;
 * anything else is close-delimited and ends with {@link HttpBodyEnd} when the origin closes.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>constant</th><th>default</th><th>bounds</th></tr>
 *   <tr><td>{@link #DEFAULT_MAX_HEADER_BYTES}</td><td>65536</td>
 *       <td>the status line, the field section, the trailer section (each)</td></tr>
 *   <tr><td>{@link #DEFAULT_MAX_HEADER_COUNT}</td><td>100</td><td>fields, trailer fields</td></tr>
 *   <tr><td>{@link #DEFAULT_MAX_CHUNK_LINE_BYTES}</td><td>8192</td><td>a chunk-size line with extensions</td></tr>
 *   <tr><td>{@link #MAX_PENDING_RESPONSES}</td><td>64</td><td>outstanding {@code expectResponse} calls</td></tr>
 * </table>
 *
 * <p>One instance per channel; not sharable.
 */
public final class Http1ResponseDecoder extends Http1Decoder {

    public static final int DEFAULT_MAX_HEADER_BYTES = 65536;
    public static final int DEFAULT_MAX_HEADER_COUNT = 100;
    public static final int DEFAULT_MAX_CHUNK_LINE_BYTES = 8192;
    public static final int MAX_PENDING_RESPONSES = 64;

    /** Outstanding responses; bit i of {@link #toHeadBits} says whether the i-th answers a HEAD. */
    private int pending;
    private long toHeadBits;

    private int status;
    private int reasonLength;
    private boolean http11;

    /** A decoder with the {@code DEFAULT_*} limits. */
    public Http1ResponseDecoder() {
        this(DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_HEADER_COUNT);
    }

    public Http1ResponseDecoder(int maxHeaderBytes, int maxHeaderCount) {
        super(maxHeaderBytes, maxHeaderBytes, maxHeaderCount, DEFAULT_MAX_CHUNK_LINE_BYTES, DecodeErrors.RESPONSE, IDLE);
    }

    /**
     * Announces that a request is about to be written upstream, so its response may arrive.
     * Call on the event loop, before the request bytes are written.
     *
     * @param toHeadRequest whether the request is HEAD: its response has no body whatever its fields
     * @throws IllegalStateException when {@link #MAX_PENDING_RESPONSES} are already outstanding
     */
    public void expectResponse(boolean toHeadRequest) {
        if (pending == MAX_PENDING_RESPONSES) {
            throw new IllegalStateException("pending responses: " + pending + " (expected: < " + MAX_PENDING_RESPONSES + ")");
        }
        if (toHeadRequest) {
            toHeadBits |= 1L << pending;
        }
        pending++;
        if (state == IDLE) {
            state = HEAD;
            decode();
        }
    }

    /** Responses announced by {@link #expectResponse} whose head has not arrived yet. */
    public int pendingResponses() {
        return pending;
    }

    @Override
    int maxStartLineBytes() {
        return maxHeaderBytes;
    }

    @Override
    int onEmptyStartLine() {
        return DecodeErrors.BAD_STATUS_LINE;
    }

    /**
     * RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ]. Leniently, the SP
     * after the code may be missing when there is no reason.
     */
    @Override
    int parseStartLine(byte[] buf, int base, int len) {
        if (len < 12 || buf[base] != 'H' || buf[base + 1] != 'T' || buf[base + 2] != 'T'
                || buf[base + 3] != 'P' || buf[base + 4] != '/' || buf[base + 5] != '1'
                || buf[base + 6] != '.' || buf[base + 8] != HttpChars.SP) {
            return DecodeErrors.BAD_STATUS_LINE;
        }
        byte minor = buf[base + 7];
        if (minor != '0' && minor != '1') {
            return DecodeErrors.BAD_STATUS_LINE;
        }
        http11 = minor == '1';
        int code = 0;
        for (int i = 9; i < 12; i++) {
            int d = buf[base + i] - '0';
            if (d < 0 || d > 9) {
                return DecodeErrors.BAD_STATUS_LINE;
            }
            code = code * 10 + d;
        }
        // RFC 9110 §15: status codes are 100..599.
        if (code < 100 || code > 599) {
            return DecodeErrors.BAD_STATUS_LINE;
        }
        status = code;
        reasonLength = 0;
        if (len > 12) {
            if (buf[base + 12] != HttpChars.SP) {
                return DecodeErrors.BAD_STATUS_LINE;
            }
            for (int i = 13; i < len; i++) {
                if (!HttpChars.isFieldValueChar(buf[base + i])) {
                    return DecodeErrors.BAD_STATUS_LINE;
                }
            }
            reasonLength = len - 13;
        }
        return -1;
    }

    @Override
    boolean onHead(ByteBuf head, byte[] a, int base) {
        if (status < 200) {
            head.release();
            // We never send Upgrade, so a 101 means the origin and we disagree about the connection.
            if (status == 101) {
                return fail(DecodeErrors.UNEXPECTED_UPGRADE);
            }
            // RFC 9110 §15.2: interim responses precede the final one; drop them and read on.
            state = HEAD;
            return true;
        }
        boolean toHead = (toHeadBits & 1) != 0;
        toHeadBits >>>= 1;
        pending--;
        HeadFields f = fields;
        f.finish(a, base);
        int error = validate(f, http11);
        if (error >= 0) {
            head.release();
            return fail(error);
        }
        boolean chunked = f.transferEncodingCount == 1;
        long contentLength = f.contentLengthCount == 1 ? f.contentLength : -1;
        // RFC 9112 §6.3 rule 1: no body after HEAD, 1xx, 204, 304, whatever the fields say.
        boolean noBody = toHead || status == 204 || status == 304 || (!chunked && contentLength == 0);
        boolean closeDelimited = !noBody && !chunked && contentLength < 0;
        boolean keepAlive = !f.connectionClose && (http11 || f.connectionKeepAlive) && !closeDelimited;
        HttpResponseHead response = HttpResponseHead.of(f.takeSpare(), head, f, status, 13, reasonLength, http11,
                chunked, closeDelimited, noBody, keepAlive);
        if (noBody) {
            startFixedBody(0);
        } else if (chunked) {
            startChunkedBody();
        } else if (contentLength > 0) {
            startFixedBody(contentLength);
        } else {
            startCloseDelimitedBody();
        }
        ctx.fireChannelRead(response);
        return true;
    }

    private static int validate(HeadFields f, boolean http11) {
        if (f.transferEncodingCount > 0) {
            // RFC 9112 §6.3 rule 3: both fields is a smuggling signature, also from an origin.
            if (f.contentLengthCount > 0) {
                return DecodeErrors.CL_AND_TE;
            }
            // RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message means faulty framing.
            if (!http11) {
                return DecodeErrors.TE_IN_HTTP10;
            }
            if (f.transferEncodingCount > 1) {
                return DecodeErrors.MULTIPLE_TE;
            }
            // Codings other than "chunked" alone would need us to decode them; refuse instead.
            if (!f.transferEncodingChunked) {
                return DecodeErrors.BAD_TE;
            }
        }
        // RFC 9112 §6.3 rule 5: an invalid or repeated Content-Length is unrecoverable.
        if (f.contentLengthCount > 1) {
            return DecodeErrors.MULTIPLE_CL;
        }
        if (f.contentLengthInvalid) {
            return DecodeErrors.BAD_CL;
        }
        return -1;
    }

    @Override
    void onMessageEnd() {
        state = pending > 0 ? HEAD : IDLE;
    }

    @Override
    boolean onIdleBytes(ByteBuf buf) {
        return fail(DecodeErrors.UNSOLICITED_RESPONSE);
    }

    /**
     * Ends a close-delimited body with {@link HttpBodyEnd} (RFC 9112 §6.3 rule 8), or reports a
     * fixed or chunked body cut short — a truncated body must never look complete downstream.
     */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (state == CLOSE_DELIMITED_BODY || state == END) {
            finishMessage(HttpBodyEnd.EMPTY);
        } else if (inBody()) {
            fail(DecodeErrors.CLOSED_MID_BODY);
        }
        super.channelInactive(ctx);
    }
}
