package dev.meridian.engine.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Encodes the request head the proxy sends upstream from a decoded {@link HttpRequestHead}: origin-form
 * target, end-to-end fields copied byte for byte, forwarding fields and framing rewritten.
 */
public final class Http1RequestEncoder {

    private static final byte[] HTTP11_CRLF = ascii(" HTTP/1.1\r\n");
    private static final byte[] COMMA_SP = ascii(", ");
    private static final byte[] CRLF = ascii("\r\n");
    private static final byte[] HOST = ascii("Host: ");
    private static final byte[] XFF = ascii("X-Forwarded-For: ");
    private static final byte[] XFP_HTTP = ascii("X-Forwarded-Proto: http\r\n");
    private static final byte[] XFP_HTTPS = ascii("X-Forwarded-Proto: https\r\n");
    private static final byte[] XFH = ascii("X-Forwarded-Host: ");
    private static final byte[] CONTENT_LENGTH = ascii("Content-Length: ");
    private static final byte[] TE_CHUNKED = ascii("Transfer-Encoding: chunked\r\n");

    /**
     * Kinds of received fields never forwarded as they are, one bit per {@link HeaderNames} kind:
     * the framing fields (rewritten), Expect (the proxy answers 100-continue itself), the
     * X-Forwarded-* fields (rebuilt so a client cannot forge them) and Proxy-Authorization (RFC 9110
     * §11.7.2: consumed by the proxy it is meant for, which is us; forwarding it would hand the
     * client's proxy credentials to every origin). Hop-by-hop fields are dropped by their marks.
     */
    private static final int DROPPED_KINDS = 1 << HeaderNames.CONTENT_LENGTH | 1 << HeaderNames.TRANSFER_ENCODING
            | 1 << HeaderNames.EXPECT | 1 << HeaderNames.X_FORWARDED_FOR | 1 << HeaderNames.X_FORWARDED_PROTO
            | 1 << HeaderNames.X_FORWARDED_HOST | 1 << HeaderNames.PROXY_AUTHORIZATION;

    /** Room for the fields this encoder adds, beyond the received head's own size. */
    private static final int EXTRA_BYTES = 160;

    private Http1RequestEncoder() {
    }

    /**
     * Writes {@code METHOD SP target SP HTTP/1.1 CRLF}, the fields of {@code head}, the forwarding
     * fields and the framing field, then the empty line.
     *
     * <p>The target is origin-form: for an absolute-form request the path (or "/" when empty) and
     * query; otherwise the target as received ({@code *} stays {@code *}). Fields are copied except
     * hop-by-hop ones (RFC 9110 §7.6.1, including those a Connection field names), Content-Length,
     * Transfer-Encoding, Expect (the proxy answers 100-continue itself), Proxy-Authorization (meant
     * for us, never for the origin) and the X-Forwarded-For /
     * -Proto / -Host fields, which are rebuilt so a client cannot forge them:
     * <ul>
     *   <li>{@code Host: defaultHost} when the request had no Host and {@code defaultHost != null};</li>
     *   <li>{@code X-Forwarded-For}: every received X-Forwarded-For value joined with ", ", then
     *       {@code clientIp};</li>
     *   <li>{@code X-Forwarded-Proto: http} or {@code https} after {@code tls};</li>
     *   <li>{@code X-Forwarded-Host}: the received Host value, when there was one;</li>
     *   <li>{@code Content-Length: contentLength} when {@code contentLength >= 0}, else
     *       {@code Transfer-Encoding: chunked} when {@code chunked}, else nothing.</li>
     * </ul>
     *
     * @param clientIp    the client address as ASCII text (e.g. {@code 192.0.2.1} or {@code 2001:db8::1})
     * @param defaultHost ASCII authority to send when the client sent no Host (HTTP/1.0), or null
     * @return a new buffer from {@code alloc}, owned by the caller
     */
    public static ByteBuf encodeHead(ByteBufAllocator alloc, HttpRequestHead head, byte[] clientIp, boolean tls,
                                     long contentLength, boolean chunked, byte[] defaultHost) {
        return encodeHead(alloc, head, clientIp, tls, contentLength, chunked, defaultHost, null);
    }

    /**
     * As {@link #encodeHead(ByteBufAllocator, HttpRequestHead, byte[], boolean, long, boolean, byte[])},
     * with the path of the target replaced by {@code pathOverride} when it is not null: the bytes
     * {@link PathNormalizer#normalize} returned, so the origin receives exactly the path the request
     * was routed on. The query is kept as received; an absolute-form target still becomes origin-form.
     *
     * @param pathOverride an absolute path starting with "/", without query, or null to keep the received path
     */
    public static ByteBuf encodeHead(ByteBufAllocator alloc, HttpRequestHead head, byte[] clientIp, boolean tls,
                                     long contentLength, boolean chunked, byte[] defaultHost, byte[] pathOverride) {
        return encodeHead(alloc, head, clientIp, tls, contentLength, chunked, defaultHost, pathOverride, null);
    }

    /**
     * As {@link #encodeHead(ByteBufAllocator, HttpRequestHead, byte[], boolean, long, boolean, byte[], byte[])},
     * with the filters' header {@code edits} applied: received fields they set or removed are
     * skipped, their set and added fields follow the received ones. A Host set by a filter
     * replaces the received one (X-Forwarded-Host still carries what the client sent).
     *
     * @param edits the request's edits, or null (or empty) for none: then nothing differs
     */
    public static ByteBuf encodeHead(ByteBufAllocator alloc, HttpRequestHead head, byte[] clientIp, boolean tls,
                                     long contentLength, boolean chunked, byte[] defaultHost, byte[] pathOverride,
                                     HeaderEdits edits) {
        ByteBuf out = alloc.buffer(sizeHint(head, clientIp, defaultHost, pathOverride, edits));
        return encodeHead(out, head, clientIp, tls, contentLength, chunked, defaultHost, pathOverride, edits);
    }

    /** What {@link #encodeHead} is expected to write at most for these arguments (the buffer grows if not). */
    public static int sizeHint(HttpRequestHead head, byte[] clientIp, byte[] defaultHost, byte[] pathOverride,
                               HeaderEdits edits) {
        return head.buffer().readableBytes() + clientIp.length
                + (defaultHost == null ? 0 : defaultHost.length)
                + (pathOverride == null ? 0 : pathOverride.length) + EXTRA_BYTES
                + (edits != null && !edits.isEmpty() ? edits.encodedLength() : 0);
    }

    /**
     * As {@link #encodeHead(ByteBufAllocator, HttpRequestHead, byte[], boolean, long, boolean, byte[], byte[], HeaderEdits)},
     * written into {@code out} (from its writer index) instead of a new buffer: e.g. a connection's
     * reused head buffer ({@code ReusableBuffer}).
     *
     * @return {@code out}
     */
    public static ByteBuf encodeHead(ByteBuf out, HttpRequestHead head, byte[] clientIp, boolean tls,
                                     long contentLength, boolean chunked, byte[] defaultHost, byte[] pathOverride,
                                     HeaderEdits edits) {
        boolean edited = edits != null && !edits.isEmpty();
        ByteBuf src = head.buffer();
        out.writeBytes(src, head.methodOffset(), head.methodLength());
        out.writeByte(HttpChars.SP);
        if (pathOverride != null) {
            out.writeBytes(pathOverride);
            if (head.queryOffset() >= 0) {
                out.writeBytes(src, head.queryOffset(), head.queryLength());
            }
        } else {
            writeTarget(out, src, head);
        }
        out.writeBytes(HTTP11_CRLF);

        int count = head.headerCount();
        // Each field's kind is the one the decoder gave its name while parsing it (the head's
        // offsets table): no name is classified again here, whatever its case.
        int[] t = head.fieldTable();
        long hop = head.hopBits();
        long run = FieldLines.NONE;
        boolean forwardedFor = false;
        for (int i = 0, at = 0; i < count; i++, at += HeadFields.STRIDE) {
            int kind = t[at + HeadFields.INFO] & HeadFields.KIND_MASK;
            boolean hopByHop = i < 64 ? (hop & (1L << i)) != 0 : head.isHopByHop(i);
            if (!hopByHop && (DROPPED_KINDS & (1 << kind)) == 0
                    && (!edited || !edits.drops(src, t[at], t[at + HeadFields.NAME_LENGTH]))) {
                run = FieldLines.keep(out, src, t, at, run);
            } else {
                forwardedFor |= kind == HeaderNames.X_FORWARDED_FOR && t[at + HeadFields.VALUE_LENGTH] > 0;
            }
        }
        FieldLines.flush(out, src, run);

        int host = head.hostIndex();
        if (edited) {
            edits.writeTo(out);
        }
        boolean hostSent = edited ? edits.writesHost() || (host >= 0 && !edits.replaces(HeaderNames.N_HOST))
                : host >= 0;
        if (!hostSent && defaultHost != null) {
            // RFC 9112 §3.2: an HTTP/1.1 request carries Host; a filter that removed it gets the cluster's.
            out.writeBytes(HOST).writeBytes(defaultHost).writeBytes(CRLF);
        }

        out.writeBytes(XFF);
        for (int i = 0, at = 0; forwardedFor && i < count; i++, at += HeadFields.STRIDE) {
            // Appending keeps the chain a downstream proxy built; the origin trusts only the entries
            // its own proxies added, and ours is always last.
            int valueLength = t[at + HeadFields.VALUE_LENGTH];
            if (valueLength > 0 && (t[at + HeadFields.INFO] & HeadFields.KIND_MASK) == HeaderNames.X_FORWARDED_FOR) {
                out.writeBytes(src, t[at + HeadFields.VALUE_OFFSET], valueLength);
                out.writeBytes(COMMA_SP);
            }
        }
        out.writeBytes(clientIp).writeBytes(CRLF);
        out.writeBytes(tls ? XFP_HTTPS : XFP_HTTP);
        if (host >= 0) {
            out.writeBytes(XFH).writeBytes(src, head.valueOffset(host), head.valueLength(host)).writeBytes(CRLF);
        }

        if (contentLength >= 0) {
            out.writeBytes(CONTENT_LENGTH);
            HttpChars.writeDecimal(out, contentLength);
            out.writeBytes(CRLF);
        } else if (chunked) {
            out.writeBytes(TE_CHUNKED);
        }
        out.writeBytes(CRLF);
        return out;
    }

    private static void writeTarget(ByteBuf out, ByteBuf src, HttpRequestHead head) {
        if (!head.absoluteForm()) {
            out.writeBytes(src, head.targetOffset(), head.targetLength());
            return;
        }
        // RFC 9112 §3.2.2: a proxy forwards origin-form to the origin server.
        if (head.pathLength() == 0) {
            out.writeByte('/');
        } else {
            out.writeBytes(src, head.pathOffset(), head.pathLength());
        }
        if (head.queryOffset() >= 0) {
            out.writeBytes(src, head.queryOffset(), head.queryLength());
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
