package dev.meridian.engine.filter;

import io.netty.util.internal.PlatformDependent;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Word-at-a-time comparisons of a region of head bytes (a {@code byte[]} or native memory) with a
 * short constant, exact or ignoring ASCII case: what a filter's header-name, method and path reads
 * come down to.
 *
 * <p>A region of {@code n >= 8} bytes is compared as {@code n / 8} words plus one last word that
 * ends at the region's end and may overlap the one before; 4 to 7 bytes as two such ints; fewer
 * byte by byte. No load reaches outside the region, so a head at the end of a native buffer is
 * read no further than its last byte. Both sides load in native byte order: comparisons and the
 * per-byte case fold do not care which order that is.
 *
 * <p>Two words match ignoring case when they differ only in the case bit (0x20) of bytes that are
 * letters, 'A'..'Z' or 'a'..'z' (the "has byte in range" test of Anderson's bit hacks, on the low
 * seven bits of each byte so that no addition carries into the next byte; bytes with the high bit
 * set are never letters). Ignoring the case bit alone would also equate '^' with '~', both valid
 * in a field name.
 */
final class AsciiWords {

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private static final long ONES = 0x0101010101010101L;
    private static final long LOW7 = ONES * 0x7F;
    private static final long HIGHS = ONES * 0x80;
    private static final long CASE = ONES * 0x20;
    private static final int ONES_I = 0x01010101;
    private static final int LOW7_I = ONES_I * 0x7F;
    private static final int HIGHS_I = ONES_I * 0x80;
    private static final int CASE_I = ONES_I * 0x20;

    private AsciiWords() {
    }

    /** Whether {@code a[ai, ai + n)} equals {@code b[bi, bi + n)}. */
    static boolean equals(byte[] a, int ai, byte[] b, int bi, int n) {
        if (n >= Long.BYTES) {
            int last = n - Long.BYTES;
            for (int i = 0; i < last; i += Long.BYTES) {
                if ((long) LONG.get(a, ai + i) != (long) LONG.get(b, bi + i)) {
                    return false;
                }
            }
            return (long) LONG.get(a, ai + last) == (long) LONG.get(b, bi + last);
        }
        if (n >= Integer.BYTES) {
            int last = n - Integer.BYTES;
            return (int) INT.get(a, ai) == (int) INT.get(b, bi)
                    && (int) INT.get(a, ai + last) == (int) INT.get(b, bi + last);
        }
        for (int i = 0; i < n; i++) {
            if (a[ai + i] != b[bi + i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether the {@code n} bytes at native {@code address} equal {@code b[bi, bi + n)}. */
    static boolean equals(long address, byte[] b, int bi, int n) {
        if (n >= Long.BYTES) {
            int last = n - Long.BYTES;
            for (int i = 0; i < last; i += Long.BYTES) {
                if (PlatformDependent.getLong(address + i) != (long) LONG.get(b, bi + i)) {
                    return false;
                }
            }
            return PlatformDependent.getLong(address + last) == (long) LONG.get(b, bi + last);
        }
        if (n >= Integer.BYTES) {
            int last = n - Integer.BYTES;
            return PlatformDependent.getInt(address) == (int) INT.get(b, bi)
                    && PlatformDependent.getInt(address + last) == (int) INT.get(b, bi + last);
        }
        for (int i = 0; i < n; i++) {
            if (PlatformDependent.getByte(address + i) != b[bi + i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code a[ai, ai + n)} equals {@code b[bi, bi + n)} ignoring ASCII case. */
    static boolean equalsIgnoreCase(byte[] a, int ai, byte[] b, int bi, int n) {
        if (n >= Long.BYTES) {
            int last = n - Long.BYTES;
            for (int i = 0; i < last; i += Long.BYTES) {
                if (!sameIgnoringCase((long) LONG.get(a, ai + i), (long) LONG.get(b, bi + i))) {
                    return false;
                }
            }
            return sameIgnoringCase((long) LONG.get(a, ai + last), (long) LONG.get(b, bi + last));
        }
        if (n >= Integer.BYTES) {
            int last = n - Integer.BYTES;
            return sameIgnoringCase((int) INT.get(a, ai), (int) INT.get(b, bi))
                    && sameIgnoringCase((int) INT.get(a, ai + last), (int) INT.get(b, bi + last));
        }
        for (int i = 0; i < n; i++) {
            if (lower(a[ai + i]) != lower(b[bi + i])) {
                return false;
            }
        }
        return true;
    }

    /** Whether the {@code n} bytes at native {@code address} equal {@code b[bi, bi + n)} ignoring ASCII case. */
    static boolean equalsIgnoreCase(long address, byte[] b, int bi, int n) {
        if (n >= Long.BYTES) {
            int last = n - Long.BYTES;
            for (int i = 0; i < last; i += Long.BYTES) {
                if (!sameIgnoringCase(PlatformDependent.getLong(address + i), (long) LONG.get(b, bi + i))) {
                    return false;
                }
            }
            return sameIgnoringCase(PlatformDependent.getLong(address + last), (long) LONG.get(b, bi + last));
        }
        if (n >= Integer.BYTES) {
            int last = n - Integer.BYTES;
            return sameIgnoringCase(PlatformDependent.getInt(address), (int) INT.get(b, bi))
                    && sameIgnoringCase(PlatformDependent.getInt(address + last), (int) INT.get(b, bi + last));
        }
        for (int i = 0; i < n; i++) {
            if (lower(PlatformDependent.getByte(address + i)) != lower(b[bi + i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether words {@code a} and {@code b} are equal ignoring ASCII case: they may differ only in
     * the case bit (0x20) of bytes where {@code a} is a letter. Cheaper than folding both sides:
     * equal words cost one compare, and the letter test runs on one side only.
     */
    static boolean sameIgnoringCase(long a, long b) {
        long x = a ^ b;
        if (x == 0) {
            return true;
        }
        if ((x & ~CASE) != 0) {
            return false;
        }
        // y >= 'a' sets a byte's high bit in y + (0x80 - 'a'); y > 'z' sets it in y + (0x7F - 'z').
        long y = (a | CASE) & LOW7;
        long letters = (y + ONES * (0x80 - 'a')) & ~(y + ONES * (0x7F - 'z')) & ~a & HIGHS;
        // x << 2 moves each byte's case bit onto its own high bit.
        return ((x << 2) & ~letters) == 0;
    }

    static boolean sameIgnoringCase(int a, int b) {
        int x = a ^ b;
        if (x == 0) {
            return true;
        }
        if ((x & ~CASE_I) != 0) {
            return false;
        }
        int y = (a | CASE_I) & LOW7_I;
        int letters = (y + ONES_I * (0x80 - 'a')) & ~(y + ONES_I * (0x7F - 'z')) & ~a & HIGHS_I;
        return ((x << 2) & ~letters) == 0;
    }

    /** {@code b} lower-cased if it is 'A'..'Z'. */
    static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }
}
