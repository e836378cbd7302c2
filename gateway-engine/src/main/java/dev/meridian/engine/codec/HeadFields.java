package dev.meridian.engine.codec;

import java.util.Arrays;

/**
 * Scratch table a decoder fills with the field-line offsets of one head, and the framing facts it
 * derives from them; reused across messages so a head costs two small array copies.
 *
 * <p>Offsets are relative to the first byte of the head. Each field takes four ints: name offset,
 * name length, value offset, value length (value trimmed of OWS).
 */
final class HeadFields {

    private int[] offsets;
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

    HeadFields(int maxHeaderCount) {
        offsets = new int[4 * Math.max(1, Math.min(maxHeaderCount, 32))];
        hop = new long[(maxHeaderCount + 64) >>> 6];
    }

    void reset() {
        count = 0;
    }

    int count() {
        return count;
    }

    void add(int nameOffset, int nameLength, int valueOffset, int valueLength) {
        int at = count << 2;
        if (at + 4 > offsets.length) {
            offsets = Arrays.copyOf(offsets, offsets.length << 1);
        }
        offsets[at] = nameOffset;
        offsets[at + 1] = nameLength;
        offsets[at + 2] = valueOffset;
        offsets[at + 3] = valueLength;
        count++;
    }

    int valueOffset(int i) {
        return offsets[(i << 2) + 2];
    }

    int valueLength(int i) {
        return offsets[(i << 2) + 3];
    }

    int[] copyOffsets() {
        return Arrays.copyOf(offsets, count << 2);
    }

    long[] copyHopByHop() {
        return Arrays.copyOf(hop, (count + 63) >>> 6);
    }

    /**
     * Classifies every field of the head whose first byte is {@code a[base]} (offsets relative to
     * it) and marks hop-by-hop ones.
     */
    void analyze(byte[] a, int base) {
        hostIndex = -1;
        hostCount = 0;
        contentLengthCount = 0;
        contentLength = -1;
        contentLengthInvalid = false;
        transferEncodingCount = 0;
        transferEncodingChunked = false;
        connectionClose = false;
        connectionKeepAlive = false;
        expectOther = false;
        expectContinue = false;
        Arrays.fill(hop, 0L);
        boolean connectionOptions = false;
        for (int i = 0; i < count; i++) {
            int at = i << 2;
            int kind = HeaderNames.kind(a, base + offsets[at], offsets[at + 1]);
            int vOff = base + offsets[at + 2];
            int vLen = offsets[at + 3];
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
                    connectionOptions |= scanConnection(a, base, vOff, vLen, false);
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
        if (connectionOptions) {
            for (int i = 0; i < count; i++) {
                int at = i << 2;
                if (HeaderNames.kind(a, base + offsets[at], offsets[at + 1]) == HeaderNames.CONNECTION) {
                    scanConnection(a, base, base + offsets[at + 2], offsets[at + 3], true);
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
            int at = j << 2;
            if (offsets[at + 1] == tokenLen
                    && HttpChars.regionEqualsIgnoreCase(a, base + offsets[at], tokenOff, tokenLen)
                    // Never drop Host on a client's say-so: "Connection: host" would otherwise strip
                    // the routing key before the origin sees it (hop-by-hop header abuse).
                    && HeaderNames.kind(a, base + offsets[at], tokenLen) != HeaderNames.HOST) {
                markHop(j);
            }
        }
    }
}
