package dev.meridian.engine.codec;

import java.util.Arrays;

/**
 * Scratch table a decoder fills with the field-line offsets of one head, and the framing facts it
 * derives from them; reused across messages.
 *
 * <p>Offsets are relative to the first byte of the head. Each field takes {@link #STRIDE} ints: name
 * offset, name length, value offset, value length (value trimmed of OWS), and what the decoder
 * learnt of the field while parsing it: its {@link HeaderNames} kind ({@link #KIND_MASK}) and
 * whether its line is already canonical ({@link #CANONICAL}). The encoders read both instead of
 * classifying each name again and re-reading its line's bytes.
 *
 * <p>Each field is classified as it is added, while its bytes are hot: nearly every field is none
 * of the few we act on ({@link HeaderNames#kind(byte[], int, int)} tells so with one table load),
 * and the facts of the others (Host, Content-Length, Transfer-Encoding, Connection, Expect,
 * hop-by-hop names) are recorded at once. A second walk over the fields, a branchy loop whose cost
 * rivalled parsing them, is left only for a Connection field that names other fields
 * ({@link #finish(byte[], int)}).
 */
final class HeadFields {

    /** Ints per field in the offsets table. */
    static final int STRIDE = 5;
    static final int NAME_OFFSET = 0;
    static final int NAME_LENGTH = 1;
    static final int VALUE_OFFSET = 2;
    static final int VALUE_LENGTH = 3;
    static final int INFO = 4;
    /** In a field's INFO: its kind, one of the {@link HeaderNames} constants. */
    static final int KIND_MASK = 0xF;
    /**
     * In a field's INFO: the line reads exactly {@code name ": " value CRLF} with a non-empty value
     * (one SP after the colon, no trailing whitespace), so an encoder may copy it as received.
     */
    static final int CANONICAL = 0x10;

    private static final HeaderNames.Word KEEP_ALIVE = new HeaderNames.Word(HeaderNames.V_KEEP_ALIVE.toByteArray());
    private static final HeaderNames.Word CLOSE = new HeaderNames.Word(HeaderNames.V_CLOSE.toByteArray());

    private int[] offsets;
    /**
     * Whether {@link #offsets} is on loan to a head that has not been released yet: the next head
     * then gets a new array. See {@link #lend()}.
     */
    private boolean lent;
    /** The thread that lent the array: the decoder's event loop. */
    private Thread lentBy;
    private final long[] hop;
    private int count;

    int hostIndex;
    int hostCount;
    int contentLengthCount;
    long contentLength;
    boolean contentLengthInvalid;
    int transferEncodingCount;
    boolean transferEncodingChunked;
    boolean connectionClose;
    boolean connectionKeepAlive;
    boolean expectOther;
    boolean expectContinue;
    /** A Connection field names an option other than close / keep-alive: see {@link #finish}. */
    private boolean connectionOptions;

    HeadFields(int maxHeaderCount) {
        offsets = new int[STRIDE * Math.max(1, Math.min(maxHeaderCount, 32))];
        hop = new long[(maxHeaderCount + 64) >>> 6];
    }

    /** Starts a new head: no fields, no facts. */
    void reset() {
        if (lent) {
            // The last head is still held (pipelining, or a consumer that keeps it): leave it its
            // offsets and start a fresh array.
            offsets = new int[offsets.length];
            lent = false;
        }
        count = 0;
        hostIndex = -1;
        hostCount = 0;
        contentLengthCount = 0;
        contentLength = -1;
        contentLengthInvalid = false;
        transferEncodingCount = 0;
        transferEncodingChunked = false;
        connectionClose = false;
        connectionKeepAlive = false;
        connectionOptions = false;
        expectOther = false;
        expectContinue = false;
        Arrays.fill(hop, 0L);
    }

    int count() {
        return count;
    }

    /**
     * Records a field whose name and value are at the given indexes of {@code a}, where the head
     * starts at {@code a[base]}, and the facts it carries; {@code canonical} tells whether the line
     * is {@link #CANONICAL}.
     */
    void add(byte[] a, int base, int nameAt, int nameLength, int valueAt, int valueLength, boolean canonical) {
        int i = count;
        int at = i * STRIDE;
        if (at + STRIDE > offsets.length) {
            offsets = Arrays.copyOf(offsets, offsets.length << 1);
        }
        int kind = HeaderNames.kind(a, nameAt, nameLength);
        int[] o = offsets;
        o[at] = nameAt - base;
        o[at + NAME_LENGTH] = nameLength;
        o[at + VALUE_OFFSET] = valueAt - base;
        o[at + VALUE_LENGTH] = valueLength;
        o[at + INFO] = canonical ? kind | CANONICAL : kind;
        count = i + 1;
        if (kind != HeaderNames.OTHER) {
            fact(kind, i, a, valueAt, valueLength);
        }
    }

    private void fact(int kind, int i, byte[] a, int vOff, int vLen) {
        if (HeaderNames.isStaticHopByHop(kind)) {
            markHop(i);
        }
        switch (kind) {
            case HeaderNames.HOST:
                if (hostCount++ == 0) {
                    hostIndex = i;
                }
                break;
            case HeaderNames.CONTENT_LENGTH:
                contentLengthCount++;
                contentLength = HttpChars.parseContentLength(a, vOff, vLen);
                contentLengthInvalid |= contentLength < 0;
                break;
            case HeaderNames.TRANSFER_ENCODING:
                transferEncodingCount++;
                transferEncodingChunked = HttpChars.equalsIgnoreCase(a, vOff, vLen, HeaderNames.V_CHUNKED);
                break;
            case HeaderNames.CONNECTION:
                // Nearly every Connection field is a lone "keep-alive" or "close".
                if (vLen == KEEP_ALIVE.length && KEEP_ALIVE.matches(a, vOff)) {
                    connectionKeepAlive = true;
                } else if (vLen == CLOSE.length && CLOSE.matches(a, vOff)) {
                    connectionClose = true;
                } else {
                    connectionOptions |= scanConnection(a, 0, vOff, vLen, false);
                }
                break;
            case HeaderNames.EXPECT:
                if (HttpChars.equalsIgnoreCase(a, vOff, vLen, HeaderNames.V_100_CONTINUE)) {
                    expectContinue = true;
                } else {
                    expectOther = true;
                }
                break;
            default:
                break;
        }
    }

    int valueOffset(int i) {
        return offsets[i * STRIDE + VALUE_OFFSET];
    }

    int valueLength(int i) {
        return offsets[i * STRIDE + VALUE_LENGTH];
    }

    /**
     * Hands the offsets of the head just parsed to the head itself, without a copy; the decoder
     * uses them again only after {@link #giveBack(int[])}, so a head never sees them change while
     * anyone holds it (a pipelined head decoded while the previous one is held gets a new array).
     * Only {@code count() * STRIDE} entries are meaningful.
     */
    int[] lend() {
        lent = true;
        lentBy = Thread.currentThread();
        return offsets;
    }

    /** Whether the caller runs on the thread that lent the offsets: the decoder's event loop. */
    boolean onLendingThread() {
        return lentBy == Thread.currentThread();
    }

    /**
     * A head's last reference is gone ({@link HttpHead#release()}, on the lending thread): its
     * offsets may be reused. An array we no longer use (the decoder moved on to a fresh one while
     * the head was held) changes nothing and is left to the garbage collector.
     */
    void giveBack(int[] array) {
        if (array == offsets) {
            lent = false;
        }
    }

    /** A head given back whole ({@link HttpHead#recycle()}) for the decoder's next head, or null. */
    private HttpHead spare;

    void keepSpare(HttpHead head) {
        spare = head;
    }

    /** The head given back by {@link #keepSpare}, now the caller's to {@code init}, or null. */
    HttpHead takeSpare() {
        HttpHead h = spare;
        spare = null;
        return h;
    }

    /** Hop-by-hop marks of fields 0..63 as bits (see {@link HttpHead#isHopByHop(int)}). */
    long hopBits() {
        return hop[0];
    }

    /** Hop-by-hop marks of fields 64 and up, or null when there are at most 64 fields. */
    long[] copyHopByHopAbove64() {
        return count <= 64 ? null : Arrays.copyOf(hop, (count + 63) >>> 6);
    }

    /**
     * Completes the facts once every field is in: when a Connection field names other fields
     * (RFC 9110 §7.6.1), marks them hop-by-hop. The head starts at {@code a[base]}.
     */
    void finish(byte[] a, int base) {
        if (connectionOptions) {
            for (int i = 0; i < count; i++) {
                int at = i * STRIDE;
                if ((offsets[at + INFO] & KIND_MASK) == HeaderNames.CONNECTION) {
                    scanConnection(a, base, base + offsets[at + VALUE_OFFSET], offsets[at + VALUE_LENGTH], true);
                }
            }
        }
    }

    boolean isHopByHop(int i) {
        return (hop[i >>> 6] & (1L << i)) != 0;
    }

    private void markHop(int i) {
        hop[i >>> 6] |= 1L << i;
    }

    /**
     * Walks the comma-separated tokens of one Connection value at {@code a[off]} (RFC 9110 §7.6.1).
     * Sets the close and keep-alive flags; with {@code mark}, marks every field named by another
     * token as hop-by-hop (field offsets are relative to {@code a[base]}).
     *
     * @return whether the value names a connection option other than close / keep-alive
     */
    private boolean scanConnection(byte[] a, int base, int off, int len, boolean mark) {
        boolean options = false;
        int end = off + len;
        int i = off;
        while (i < end) {
            while (i < end && (HttpChars.isOws(a[i]) || a[i] == ',')) {
                i++;
            }
            int start = i;
            while (i < end && a[i] != ',') {
                i++;
            }
            int tokenEnd = i;
            while (tokenEnd > start && HttpChars.isOws(a[tokenEnd - 1])) {
                tokenEnd--;
            }
            int tokenLen = tokenEnd - start;
            if (tokenLen == 0) {
                continue;
            }
            if (HttpChars.equalsIgnoreCase(a, start, tokenLen, HeaderNames.V_CLOSE)) {
                connectionClose = true;
            } else if (HttpChars.equalsIgnoreCase(a, start, tokenLen, HeaderNames.V_KEEP_ALIVE)) {
                connectionKeepAlive = true;
                // keep-alive is also a field name (hop-by-hop already); nothing more to mark.
            } else {
                options = true;
                if (mark) {
                    markNamed(a, base, start, tokenLen);
                }
            }
        }
        return options;
    }

    private void markNamed(byte[] a, int base, int tokenOff, int tokenLen) {
        for (int j = 0; j < count; j++) {
            int at = j * STRIDE;
            if (offsets[at + NAME_LENGTH] == tokenLen
                    && HttpChars.regionEqualsIgnoreCase(a, base + offsets[at], tokenOff, tokenLen)
                    // Never drop Host on a client's say-so: "Connection: host" would otherwise strip
                    // the routing key before the origin sees it (hop-by-hop header abuse).
                    && (offsets[at + INFO] & KIND_MASK) != HeaderNames.HOST) {
                markHop(j);
            }
        }
    }
}
