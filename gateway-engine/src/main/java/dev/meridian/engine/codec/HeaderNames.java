package dev.meridian.engine.codec;

import io.netty.buffer.ByteBuf;
import io.netty.util.AsciiString;
import java.util.Arrays;

/**
 * Classifies a field name held in a buffer into the few names the codec acts on, without allocating.
 *
 * <p>The decoder classifies every field of every head, and nearly every field is none of ours, so
 * {@link #kind(byte[], int, int)} rejects one with a single table load keyed by the name's length
 * and its first byte, and compares bytes only for a candidate.
 */
final class HeaderNames {

    static final int OTHER = 0;
    static final int HOST = 1;
    static final int CONTENT_LENGTH = 2;
    static final int TRANSFER_ENCODING = 3;
    static final int CONNECTION = 4;
    static final int KEEP_ALIVE = 5;
    static final int PROXY_CONNECTION = 6;
    static final int TE = 7;
    static final int TRAILER = 8;
    static final int UPGRADE = 9;
    static final int EXPECT = 10;
    static final int X_FORWARDED_FOR = 11;
    static final int X_FORWARDED_PROTO = 12;
    static final int X_FORWARDED_HOST = 13;
    static final int PROXY_AUTHORIZATION = 14;

    static final AsciiString N_HOST = AsciiString.cached("host");
    static final AsciiString N_CONTENT_LENGTH = AsciiString.cached("content-length");
    static final AsciiString N_TRANSFER_ENCODING = AsciiString.cached("transfer-encoding");
    static final AsciiString N_CONNECTION = AsciiString.cached("connection");
    static final AsciiString N_KEEP_ALIVE = AsciiString.cached("keep-alive");
    static final AsciiString N_PROXY_CONNECTION = AsciiString.cached("proxy-connection");
    static final AsciiString N_TE = AsciiString.cached("te");
    static final AsciiString N_TRAILER = AsciiString.cached("trailer");
    static final AsciiString N_UPGRADE = AsciiString.cached("upgrade");
    static final AsciiString N_EXPECT = AsciiString.cached("expect");
    static final AsciiString N_X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString N_X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    static final AsciiString N_X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    static final AsciiString N_PROXY_AUTHORIZATION = AsciiString.cached("proxy-authorization");

    static final AsciiString V_CHUNKED = AsciiString.cached("chunked");
    static final AsciiString V_CLOSE = AsciiString.cached("close");
    static final AsciiString V_KEEP_ALIVE = N_KEEP_ALIVE;
    static final AsciiString V_100_CONTINUE = AsciiString.cached("100-continue");

    /** {@code BY_LENGTH[len]}: the names of that length we act on, or null; at most two per length. */
    private static final AsciiString[][] BY_LENGTH = new AsciiString[20][];
    private static final int[][] KINDS_BY_LENGTH = new int[20][];

    /**
     * The candidate kind for a name, {@code CANDIDATE[min(length, 31) << 5 | firstByte & 0x1F]}: a
     * letter in either case keys the same slot, and no two of our names share a slot. A name of 31
     * bytes or more has no slot of its own (ours are at most 19).
     */
    private static final byte[] CANDIDATE = new byte[32 * 32];
    /**
     * By kind: the name in lower case, and per byte the case bit to OR in (0x20 for a letter, 0 for
     * '-'), so {@code (b | caseBit) == lower} holds exactly for the letter in either case and, for
     * '-', only for '-' itself.
     */
    private static final byte[][] LOWER = new byte[15][];
    private static final byte[][] CASE_BITS = new byte[15][];
    /** By kind: {@link #LOWER} and {@link #CASE_BITS} as little-endian words, see {@link Word}. */
    private static final Word[] WORDS = new Word[15];

    /**
     * A lower-case ASCII string as little-endian words for an eight-bytes-at-a-time case-insensitive
     * comparison: the bytes at {@code a[off]} match when, for each word {@code w},
     * {@code (load(a, off + 8 w) | caseBits[w]) & mask[w] == lower[w]}, the mask keeping only the
     * string's bytes of its last word.
     */
    static final class Word {
        final int length;
        final long[] lower;
        final long[] caseBits;
        final long[] mask;

        Word(byte[] lowerBytes) {
            length = lowerBytes.length;
            int n = (length + 7) >>> 3;
            lower = new long[n];
            caseBits = new long[n];
            mask = new long[n];
            for (int j = 0; j < length; j++) {
                int shift = (j & 7) << 3;
                byte b = lowerBytes[j];
                lower[j >>> 3] |= (b & 0xFFL) << shift;
                caseBits[j >>> 3] |= (b >= 'a' && b <= 'z' ? 0x20L : 0) << shift;
                mask[j >>> 3] |= 0xFFL << shift;
            }
        }

        /**
         * Whether the {@link #length} bytes at {@code a[off]} are this string in any case. Reads
         * whole words, up to seven bytes past the string, where the array has them.
         */
        boolean matches(byte[] a, int off) {
            long[] lw = lower;
            if (off + (lw.length << 3) > a.length) {
                return matchesBytes(a, off);
            }
            for (int w = 0; w < lw.length; w++) {
                if (((AsciiScan.word(a, off + (w << 3)) | caseBits[w]) & mask[w]) != lw[w]) {
                    return false;
                }
            }
            return true;
        }

        private boolean matchesBytes(byte[] a, int off) {
            for (int j = 0; j < length; j++) {
                int shift = (j & 7) << 3;
                long lowerByte = (lower[j >>> 3] >>> shift) & 0xFF;
                long caseBit = (caseBits[j >>> 3] >>> shift) & 0xFF;
                if (((a[off + j] & 0xFF) | caseBit) != lowerByte) {
                    return false;
                }
            }
            return true;
        }
    }

    static {
        define(N_TE, TE);
        define(N_HOST, HOST);
        define(N_EXPECT, EXPECT);
        define(N_TRAILER, TRAILER);
        define(N_UPGRADE, UPGRADE);
        define(N_CONNECTION, CONNECTION);
        define(N_KEEP_ALIVE, KEEP_ALIVE);
        define(N_CONTENT_LENGTH, CONTENT_LENGTH);
        define(N_X_FORWARDED_FOR, X_FORWARDED_FOR);
        define(N_PROXY_CONNECTION, PROXY_CONNECTION);
        define(N_X_FORWARDED_HOST, X_FORWARDED_HOST);
        define(N_TRANSFER_ENCODING, TRANSFER_ENCODING);
        define(N_X_FORWARDED_PROTO, X_FORWARDED_PROTO);
        define(N_PROXY_AUTHORIZATION, PROXY_AUTHORIZATION);
    }

    private HeaderNames() {
    }

    private static void define(AsciiString name, int kind) {
        int len = name.length();
        byte[] lower = name.toByteArray();
        byte[] caseBits = new byte[len];
        for (int j = 0; j < len; j++) {
            caseBits[j] = (byte) (lower[j] >= 'a' && lower[j] <= 'z' ? 0x20 : 0);
        }
        int slot = (len << 5) | (lower[0] & 0x1F);
        if (CANDIDATE[slot] != OTHER || len > 31) {
            throw new IllegalStateException("field name slot taken: " + name);
        }
        CANDIDATE[slot] = (byte) kind;
        LOWER[kind] = lower;
        CASE_BITS[kind] = caseBits;
        WORDS[kind] = new Word(lower);
        AsciiString[] names = BY_LENGTH[len];
        if (names == null) {
            BY_LENGTH[len] = new AsciiString[] {name};
            KINDS_BY_LENGTH[len] = new int[] {kind};
        } else {
            BY_LENGTH[len] = Arrays.copyOf(names, names.length + 1);
            BY_LENGTH[len][names.length] = name;
            KINDS_BY_LENGTH[len] = Arrays.copyOf(KINDS_BY_LENGTH[len], names.length + 1);
            KINDS_BY_LENGTH[len][names.length] = kind;
        }
    }

    static int kind(ByteBuf buf, int off, int len) {
        AsciiString[] names = len < BY_LENGTH.length ? BY_LENGTH[len] : null;
        if (names != null) {
            for (int k = 0; k < names.length; k++) {
                if (HttpChars.equalsIgnoreCase(buf, off, len, names[k])) {
                    return KINDS_BY_LENGTH[len][k];
                }
            }
        }
        return OTHER;
    }

    /** {@link #kind(ByteBuf, int, int)} over an array; {@code len} is at least 1. */
    static int kind(byte[] a, int off, int len) {
        int kind = CANDIDATE[(Math.min(len, 31) << 5) | (a[off] & 0x1F)];
        return kind != OTHER && WORDS[kind].matches(a, off) ? kind : OTHER;
    }

    /** RFC 9110 §7.6.1: fields that describe one connection and that a proxy never forwards. */
    static boolean isStaticHopByHop(int kind) {
        switch (kind) {
            case CONNECTION:
            case KEEP_ALIVE:
            case PROXY_CONNECTION:
            case TE:
            case TRAILER:
            case TRANSFER_ENCODING:
            case UPGRADE:
                return true;
            default:
                return false;
        }
    }
}
