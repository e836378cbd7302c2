package dev.meridian.engine.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Word-at-a-time (SWAR) byte searches over a {@code byte[]} that the HTTP/1.1 head parser uses to
 * find line ends and the first control character of a field value eight bytes per step.
 *
 * <p>The bit tricks are the classic "has zero byte" / "has byte less than n" tests (Mycroft;
 * Anderson's bit hacks). Their masks can flag a byte spuriously only above a byte that truly
 * matches, because a false flag needs a borrow from a lower matching byte. Words are loaded
 * little-endian, so the lowest flag, {@code numberOfTrailingZeros / 8}, is always the first true
 * match in memory order. The tail shorter than a word is scanned a byte at a time.
 */
final class AsciiScan {

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LF_WORD = ONES * '\n';
    private static final long DEL_WORD = ONES * 0x7F;
    /** {@code ONES * 0x20}: a byte below it is a control character (obs-text 0x80..0xFF is not). */
    private static final long SPACE_WORD = ONES * 0x20;

    private static final long LOW7 = ONES * 0x7F;
    private static final long CASE_BIT = ONES * 0x20;
    private static final long DASH_WORD = ONES * '-';

    /** In a {@link #fieldMask(long)}: bit 7 of each byte, set for a control character or DEL. */
    static final long CONTROL_BITS = HIGHS;
    /** In a {@link #fieldMask(long)}: bit 6 of each byte, set for a byte that is not a letter, digit or '-'. */
    static final long STOP_BITS = HIGHS >>> 1;

    private AsciiScan() {
    }

    /**
     * The two byte classes the field-line parser needs of the eight bytes of {@code w}, one pair of
     * bits per byte: {@link #STOP_BITS} exactly for each byte that is not a letter, digit or '-'
     * (what {@link #skipNameChars} stops at), and {@link #CONTROL_BITS} for each control character
     * or DEL (what {@link #indexOfControl} finds). A control byte is a stop byte too. The control
     * bits are exact up to the first one; above it a byte of at most 0x20 (and '~' above a DEL)
     * may be flagged as well, which is a stop byte anyway.
     */
    static long fieldMask(long w) {
        long x = w & LOW7;
        long lower = x | CASE_BIT;
        long alpha = (lower + ONES * (0x80 - 'a')) & ~(lower + ONES * (0x7F - 'z'));
        long digit = (x + ONES * (0x80 - '0')) & ~(x + ONES * (0x7F - '9'));
        long dash = ~((x ^ DASH_WORD) + LOW7);
        long stop = ~((alpha | digit | dash) & ~w) & HIGHS;
        long del = w ^ DEL_WORD;
        long control = ((w - SPACE_WORD) & ~w | (del - ONES) & ~del) & HIGHS;
        return control | stop >>> 1;
    }

    /**
     * {@code out[j] = fieldMask(word at a[from + 8 j])} for {@code j < words}. A loop with no branch
     * and no dependency between words, the shape C2's superword pass turns into vector code: on a
     * typical head it costs a fraction of scanning the same words one line at a time, where each
     * line's scan waits for the previous line's end.
     */
    static void fieldMasks(byte[] a, int from, int words, long[] out) {
        for (int j = 0; j < words; j++) {
            out[j] = fieldMask((long) LONG_LE.get(a, from + (j << 3)));
        }
    }

    /** The eight bytes at {@code a[i]} as a little-endian word. */
    static long word(byte[] a, int i) {
        return (long) LONG_LE.get(a, i);
    }

    /** {@link #fieldMask(long)} of the word at {@code a[i]}. */
    static long fieldMask(byte[] a, int i) {
        return fieldMask((long) LONG_LE.get(a, i));
    }

    /**
     * Index of the first byte in {@code a[from, to)} that is not a letter, a digit or '-', or
     * {@code to}. Those bytes make up nearly every real field name and are all tchar (RFC 9110
     * §5.6.2), so a caller skips them eight at a time and checks the rest byte by byte.
     *
     * <p>Each byte is tested on its low seven bits, where adding at most 0x7F never carries into
     * the next byte, so every flag is exact; bytes with the high bit set are never accepted.
     */
    static int skipNameChars(byte[] a, int from, int to) {
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long w = (long) LONG_LE.get(a, i);
            long x = w & LOW7;
            long lower = x | CASE_BIT;
            // v >= lo sets the high bit of v + (0x80 - lo); v > hi sets that of v + (0x7F - hi).
            long alpha = (lower + ONES * (0x80 - 'a')) & ~(lower + ONES * (0x7F - 'z'));
            long digit = (x + ONES * (0x80 - '0')) & ~(x + ONES * (0x7F - '9'));
            long dash = ~((x ^ DASH_WORD) + LOW7);
            long bad = ~((alpha | digit | dash) & ~w) & HIGHS;
            if (bad != 0) {
                return i + (Long.numberOfTrailingZeros(bad) >>> 3);
            }
        }
        for (; i < to; i++) {
            byte b = a[i];
            int l = b | 0x20;
            if (!(l >= 'a' && l <= 'z' || b >= '0' && b <= '9' || b == '-')) {
                return i;
            }
        }
        return to;
    }

    /** Index of the first LF in {@code a[from, to)}, or -1. */
    static int indexOfLf(byte[] a, int from, int to) {
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long x = (long) LONG_LE.get(a, i) ^ LF_WORD;
            long hit = (x - ONES) & ~x & HIGHS;
            if (hit != 0) {
                return i + (Long.numberOfTrailingZeros(hit) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (a[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Index of the first byte in {@code a[from, to)} that is a control character or DEL (below
     * 0x20 or exactly 0x7F: CR, LF, HTAB, NUL…), or -1. Every other byte is a field-value octet
     * (RFC 9110 §5.5: VCHAR, SP, obs-text), so a field value that ends at CRLF without an earlier
     * hit needs no byte-wise validation.
     */
    static int indexOfControl(byte[] a, int from, int to) {
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long w = (long) LONG_LE.get(a, i);
            long del = w ^ DEL_WORD;
            // "< 0x20": the subtraction borrows out of such a byte; ~w drops bytes >= 0x80.
            long hit = ((w - SPACE_WORD) & ~w | (del - ONES) & ~del) & HIGHS;
            if (hit != 0) {
                return i + (Long.numberOfTrailingZeros(hit) >>> 3);
            }
        }
        for (; i < to; i++) {
            int b = a[i] & 0xFF;
            if (b < 0x20 || b == 0x7F) {
                return i;
            }
        }
        return -1;
    }
}
