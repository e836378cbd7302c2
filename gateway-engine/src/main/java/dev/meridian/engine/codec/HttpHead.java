package dev.meridian.engine.codec;

import io.netty.buffer.ByteBuf;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCounted;
import java.nio.charset.StandardCharsets;

/**
 * A parsed HTTP/1.x message head kept as offsets over the received bytes (zero copy).
 *
 * <p>{@link #buffer()} holds exactly the head bytes as its readable bytes, from index 0 (the first
 * byte of the start line) through the empty line that ends the field section: the read buffer
 * itself when a read held exactly one head, else a retained slice. Every offset is relative to
 * index 0 of that buffer: read bytes with {@code buffer().getByte(offset)}.
 *
 * <p>The field offsets are the decoder's own table, lent to the head without a copy: the decoder
 * fills it again only after the head's last {@link #release()} on the decoder's event loop, so a
 * head held across later heads (pipelining, a retained head) keeps its offsets, and a released
 * head's offsets are as meaningless as its bytes.
 *
 * <p>A head is reference counted like any Netty message: whoever receives it from the pipeline
 * calls {@link #release()} exactly once (or passes it on). Releasing twice throws
 * {@link io.netty.util.IllegalReferenceCountException}.
 */
public abstract sealed class HttpHead implements ReferenceCounted permits HttpRequestHead, HttpResponseHead {

    private ByteBuf buffer;
    /** The decoder's offsets table, lent without a copy until the last release (see {@link HeadFields#lend()}). */
    private int[] fields;
    private final HeadFields lender;
    /**
     * References to this head counted on the decoder's thread, for lending only: the buffer's own
     * count cannot tell, since a read buffer handed over whole may be held by others too.
     */
    private int holds;
    /** Retained or released on another thread: the offsets are never given back. */
    private volatile boolean foreign;
    /** Hop-by-hop marks of fields 0..63, one bit each; {@link #hopByHopAbove64} for more fields. */
    private long hopByHop;
    private long[] hopByHopAbove64;
    private int headerCount;
    private boolean http11;
    private long contentLength;
    private boolean chunked;
    private boolean keepAlive;

    HttpHead(ByteBuf buffer, HeadFields table, boolean http11, boolean chunked, boolean keepAlive) {
        this.lender = table;
        init(buffer, http11, chunked, keepAlive);
    }

    /**
     * Makes this head describe {@code buffer} and the lender's current table: on construction, and
     * when the decoder reuses a head given back by {@link #recycle()}. Fields are not final for that
     * reuse; a head is confined to its decoder's event loop while it is being (re)filled.
     */
    final void init(ByteBuf buffer, boolean http11, boolean chunked, boolean keepAlive) {
        HeadFields table = lender;
        this.buffer = buffer;
        this.holds = 1;
        this.headerCount = table.count();
        this.hopByHop = table.hopBits();
        this.hopByHopAbove64 = table.copyHopByHopAbove64();
        this.fields = table.lend();
        this.http11 = http11;
        this.contentLength = table.contentLengthCount == 1 ? table.contentLength : -1;
        this.chunked = chunked;
        this.keepAlive = keepAlive;
    }

    /** The head bytes; offsets of this object index into it. Not retained for the caller. */
    public final ByteBuf buffer() {
        return buffer;
    }

    /** True for HTTP/1.1, false for HTTP/1.0. */
    public final boolean http11() {
        return http11;
    }

    /** Number of field lines in the head. */
    public final int headerCount() {
        return headerCount;
    }

    public final int nameOffset(int i) {
        return fields[checkIndex(i) * HeadFields.STRIDE];
    }

    public final int nameLength(int i) {
        return fields[checkIndex(i) * HeadFields.STRIDE + HeadFields.NAME_LENGTH];
    }

    /** Offset of field {@code i}'s value, leading OWS skipped. */
    public final int valueOffset(int i) {
        return fields[checkIndex(i) * HeadFields.STRIDE + HeadFields.VALUE_OFFSET];
    }

    /** Length of field {@code i}'s value, leading and trailing OWS trimmed. */
    public final int valueLength(int i) {
        return fields[checkIndex(i) * HeadFields.STRIDE + HeadFields.VALUE_LENGTH];
    }

    /**
     * The offsets table itself, {@link HeadFields#STRIDE} ints per field (see {@link HeadFields}),
     * for the encoders' loops over every field; only {@code headerCount() * STRIDE} entries are
     * meaningful, and only until the head is released. Never written through.
     */
    final int[] fieldTable() {
        return fields;
    }

    /** Field {@code i}'s {@link HeaderNames} kind, as the decoder classified its name. */
    final int kind(int i) {
        return fields[checkIndex(i) * HeadFields.STRIDE + HeadFields.INFO] & HeadFields.KIND_MASK;
    }

    /** Hop-by-hop marks of fields 0..63 (bit i for field i), for the encoders' loops. */
    final long hopBits() {
        return hopByHop;
    }

    /**
     * Whether field {@code i} is hop-by-hop: one of Connection, Keep-Alive, Proxy-Connection, TE,
     * Trailer, Transfer-Encoding, Upgrade (RFC 9110 §7.6.1), or named as an option by a Connection
     * field. Host is never marked, even when a Connection field names it.
     */
    public final boolean isHopByHop(int i) {
        checkIndex(i);
        long bits = i < 64 ? hopByHop : hopByHopAbove64[i >>> 6];
        return (bits & (1L << i)) != 0;
    }

    /** Index of the first field named {@code lowerCaseName} (compared ignoring case), or -1. */
    public final int indexOf(AsciiString lowerCaseName) {
        int len = lowerCaseName.length();
        for (int i = 0; i < headerCount; i++) {
            int at = i * HeadFields.STRIDE;
            if (fields[at + HeadFields.NAME_LENGTH] == len
                    && HttpChars.equalsIgnoreCase(buffer, fields[at], len, lowerCaseName)) {
                return i;
            }
        }
        return -1;
    }

    /** The first value of field {@code name} (any case), or null. Allocates: for logs and tests. */
    public final String header(String name) {
        for (int i = 0; i < headerCount; i++) {
            int at = i * HeadFields.STRIDE;
            if (HttpChars.equalsIgnoreCase(buffer, fields[at], fields[at + HeadFields.NAME_LENGTH], name)) {
                return string(fields[at + HeadFields.VALUE_OFFSET], fields[at + HeadFields.VALUE_LENGTH]);
            }
        }
        return null;
    }

    /** Value of field {@code i} as a String (ISO-8859-1). Allocates: for logs and tests. */
    public final String headerValue(int i) {
        return string(valueOffset(i), valueLength(i));
    }

    /** Name of field {@code i} as received. Allocates: for logs and tests. */
    public final String headerName(int i) {
        return string(nameOffset(i), nameLength(i));
    }

    /** The Content-Length value, or -1 when the head has none. */
    public final long contentLength() {
        return contentLength;
    }

    /** Whether the message carries {@code Transfer-Encoding: chunked}. */
    public final boolean chunked() {
        return chunked;
    }

    /** Whether the connection may carry another message after this one (see subclasses). */
    public final boolean keepAlive() {
        return keepAlive;
    }

    final String string(int offset, int length) {
        return buffer.toString(offset, length, StandardCharsets.ISO_8859_1);
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= headerCount) {
            throw new IndexOutOfBoundsException("header index: " + i + " (expected: 0.." + (headerCount - 1) + ")");
        }
        return i;
    }

    @Override
    public final int refCnt() {
        return buffer.refCnt();
    }

    @Override
    public final HttpHead retain() {
        buffer.retain();
        held(1);
        return this;
    }

    @Override
    public final HttpHead retain(int increment) {
        buffer.retain(increment);
        held(increment);
        return this;
    }

    @Override
    public final HttpHead touch() {
        buffer.touch();
        return this;
    }

    @Override
    public final HttpHead touch(Object hint) {
        buffer.touch(hint);
        return this;
    }

    /**
     * Releases the head bytes; the offsets become meaningless afterwards (on the last release the
     * decoder takes its offsets table back for a later head of the connection).
     */
    @Override
    public final boolean release() {
        boolean last = buffer.release();
        held(-1);
        return last;
    }

    @Override
    public final boolean release(int decrement) {
        boolean last = buffer.release(decrement);
        held(-decrement);
        return last;
    }

    /**
     * Releases this head as {@link #release()} does and, when that was its last reference, taken
     * on the decoder's event loop, lets the decoder fill this same object with a later head of the
     * connection instead of allocating one (a proxied request then allocates nothing).
     *
     * <p>Only for a holder that knows nothing can reach the head any more (the proxy's exchange,
     * when it is itself reused: no callback of a wait or a connect can still come). After it, the
     * object may describe another request: a second release, or any read, would act on that one.
     */
    public final boolean recycle() {
        boolean last = buffer.release();
        if (held(-1)) {
            lender.keepSpare(this);
        }
        return last;
    }

    /** Counts a retain or release; returns whether the offsets were given back (the last release, on the loop). */
    private boolean held(int delta) {
        if (!lender.onLendingThread()) {
            foreign = true;
        } else if ((holds += delta) == 0 && !foreign) {
            lender.giveBack(fields);
            return true;
        }
        return false;
    }
}
