package dev.meridian.engine.codec;

import io.netty.buffer.ByteBuf;
import io.netty.util.AsciiString;

/**
 * Byte classes and allocation-free byte comparisons that the HTTP/1.1 parsers and encoders share.
 *
 * <p>Every check works on raw octets over a {@link ByteBuf} so the hot path never builds a String.
 */
final class HttpChars {

    static final byte CR = '\r';
    static final byte LF = '\n';
    static final byte SP = ' ';
    static final byte HTAB = '\t';
    static final byte COLON = ':';

    private static final byte C_TCHAR = 1;
    private static final byte C_TARGET = 2;
    private static final byte C_VALUE = 4;
    private static final byte C_HOST = 8;
    private static final byte[] CLASSES = new byte[256];

    static {
        for (int b = 0x21; b <= 0x7E; b++) {
            // RFC 3986 §3: the request-target is visible US-ASCII; '#' starts a fragment, which a
            // request-target never carries (RFC 9112 §3.2) and which confuses path matching.
            if (b != '#') {
                CLASSES[b] |= C_TARGET;
            }
        }
        // RFC 9110 §5.5: field-value = *( VCHAR / SP / HTAB / obs-text ), trimmed of OWS later.
        for (int b = 0x20; b <= 0xFF; b++) {
            if (b != 0x7F) {
                CLASSES[b] |= C_VALUE;
            }
        }
        CLASSES[HTAB] |= C_VALUE;
        // RFC 9110 §5.6.2: tchar.
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            CLASSES[c] |= C_TCHAR;
        }
        for (int b = '0'; b <= '9'; b++) {
            CLASSES[b] |= C_TCHAR | C_HOST;
        }
        for (int b = 'a'; b <= 'z'; b++) {
            CLASSES[b] |= C_TCHAR | C_HOST;
            CLASSES[b - 32] |= C_TCHAR | C_HOST;
        }
        // RFC 3986 §3.2.2 host (reg-name, IP-literal) and §3.2.3 port: unreserved, pct-encoded,
        // sub-delims, ':' and the IP-literal brackets.
        for (char c : "-._~%!$&'()*+,;=:[]".toCharArray()) {
            CLASSES[c] |= C_HOST;
        }
    }

    private HttpChars() {
    }

    static boolean isTchar(byte b) {
        return (CLASSES[b & 0xFF] & C_TCHAR) != 0;
    }

    static boolean isTargetChar(byte b) {
        return (CLASSES[b & 0xFF] & C_TARGET) != 0;
    }

    static boolean isFieldValueChar(byte b) {
        return (CLASSES[b & 0xFF] & C_VALUE) != 0;
    }

    static boolean isHostChar(byte b) {
        return (CLASSES[b & 0xFF] & C_HOST) != 0;
    }

    static boolean isOws(byte b) {
        return b == SP || b == HTAB;
    }

    static int toLower(int b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }

    /** Hex digit value of {@code b}, or -1. */
    static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        int l = b | 0x20;
        return l >= 'a' && l <= 'f' ? l - 'a' + 10 : -1;
    }

    /** Whether {@code len} bytes at {@code off} equal {@code lower} ignoring ASCII case. */
    static boolean equalsIgnoreCase(ByteBuf buf, int off, int len, AsciiString lower) {
        if (len != lower.length()) {
            return false;
        }
        byte[] expected = lower.array();
        int base = lower.arrayOffset();
        for (int i = 0; i < len; i++) {
            if (toLower(buf.getByte(off + i)) != expected[base + i]) {
                return false;
            }
        }
        return true;
    }

    /** {@link #equalsIgnoreCase(ByteBuf, int, int, AsciiString)} over an array. */
    static boolean equalsIgnoreCase(byte[] a, int off, int len, AsciiString lower) {
        if (len != lower.length()) {
            return false;
        }
        byte[] expected = lower.array();
        int base = lower.arrayOffset();
        for (int i = 0; i < len; i++) {
            if (toLower(a[off + i]) != expected[base + i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code lower} is a prefix of the bytes at {@code off} (ignoring ASCII case). */
    static boolean startsWithIgnoreCase(byte[] a, int off, int len, AsciiString lower) {
        return len >= lower.length() && equalsIgnoreCase(a, off, lower.length(), lower);
    }

    /** Whether two byte ranges of {@code a} are equal ignoring ASCII case. */
    static boolean regionEqualsIgnoreCase(byte[] a, int x, int y, int len) {
        for (int i = 0; i < len; i++) {
            if (toLower(a[x + i]) != toLower(a[y + i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses a Content-Length value: one or more DIGIT and nothing else (RFC 9110 §8.6).
     *
     * @return the value, or -1 when empty, not all digits (a sign, inner spaces, a list) or above
     *     {@link Long#MAX_VALUE}
     */
    static long parseContentLength(byte[] a, int off, int len) {
        if (len == 0) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < len; i++) {
            int d = a[off + i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            // Overflow check: a wrapped length would let an attacker pick the framing.
            if (v > (Long.MAX_VALUE - d) / 10) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** Whether the bytes at {@code off} equal {@code s} ignoring ASCII case (for non-hot paths). */
    static boolean equalsIgnoreCase(ByteBuf buf, int off, int len, String s) {
        if (len != s.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (toLower(buf.getByte(off + i)) != toLower(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Writes {@code v} (>= 0) as decimal ASCII without creating a String. */
    static void writeDecimal(ByteBuf out, long v) {
        if (v == 0) {
            out.writeByte('0');
            return;
        }
        long div = 1;
        while (v / div >= 10) {
            div *= 10;
        }
        while (div > 0) {
            out.writeByte((int) ('0' + (v / div) % 10));
            div /= 10;
        }
    }

    /** Writes {@code v} (>= 0) as lower-case hex ASCII without creating a String. */
    static void writeHex(ByteBuf out, long v) {
        int shift = 60;
        while (shift > 0 && ((v >>> shift) & 0xF) == 0) {
            shift -= 4;
        }
        for (; shift >= 0; shift -= 4) {
            int d = (int) ((v >>> shift) & 0xF);
            out.writeByte(d < 10 ? '0' + d : 'a' + d - 10);
        }
    }
}
