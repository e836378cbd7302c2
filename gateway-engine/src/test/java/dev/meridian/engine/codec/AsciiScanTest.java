package dev.meridian.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AsciiScanTest {

    /** Longer than two words plus a tail, so word loop, word boundaries and tail are all crossed. */
    private static final int MAX_LENGTH = 27;

    private static int naiveLf(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int naiveControl(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!HttpChars.isFieldValueChar(a[i]) || a[i] == HttpChars.HTAB) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void findsEveryByteValueAtEveryPositionLikeAByteLoop() {
        for (int length = 0; length <= MAX_LENGTH; length++) {
            for (int pos = 0; pos < length; pos++) {
                for (int v = 0; v < 256; v++) {
                    byte[] a = new byte[length];
                    Arrays.fill(a, (byte) 'a');
                    a[pos] = (byte) v;
                    assertThat(AsciiScan.indexOfLf(a, 0, length)).as("LF len=%d pos=%d v=%d", length, pos, v)
                            .isEqualTo(naiveLf(a, 0, length));
                    assertThat(AsciiScan.indexOfControl(a, 0, length)).as("CTL len=%d pos=%d v=%d", length, pos, v)
                            .isEqualTo(naiveControl(a, 0, length));
                }
            }
        }
    }

    @Test
    void reportsTheFirstOfSeveralHitsWhateverFollowsIt() {
        // Bytes after a hit that would make the SWAR masks flag spuriously (borrows out of 0x00,
        // 0x0A, 0x1F, 0x7F; high bytes) must not move the answer.
        byte[] followers = {0x00, 0x01, 0x09, 0x0A, 0x0B, 0x0D, 0x1F, 0x20, 0x7E, 0x7F, (byte) 0x80, (byte) 0x9F,
            (byte) 0xA0, (byte) 0xFF};
        for (int pos = 0; pos < 16; pos++) {
            for (byte hit : new byte[] {'\n', '\r', 0x00, 0x7F, '\t'}) {
                for (byte f : followers) {
                    byte[] a = new byte[24];
                    Arrays.fill(a, (byte) 'x');
                    a[pos] = hit;
                    for (int k = pos + 1; k < a.length; k++) {
                        a[k] = f;
                    }
                    assertThat(AsciiScan.indexOfControl(a, 0, a.length)).isEqualTo(pos);
                    assertThat(AsciiScan.indexOfLf(a, 0, a.length)).isEqualTo(naiveLf(a, 0, a.length));
                }
            }
        }
    }

    @Test
    void neverLooksOutsideTheRange() {
        // Every byte outside [from, to) is a hit; inside there is none.
        for (int from = 0; from <= 10; from++) {
            for (int to = from; to <= 30; to++) {
                byte[] lf = new byte[32];
                byte[] ctl = new byte[32];
                Arrays.fill(lf, (byte) '\n');
                Arrays.fill(ctl, (byte) 0x01);
                for (int i = from; i < to; i++) {
                    lf[i] = 'a';
                    ctl[i] = (byte) 0xE9;
                }
                assertThat(AsciiScan.indexOfLf(lf, from, to)).as("from=%d to=%d", from, to).isEqualTo(-1);
                assertThat(AsciiScan.indexOfControl(ctl, from, to)).as("from=%d to=%d", from, to).isEqualTo(-1);
                if (to > from) {
                    lf[to - 1] = '\n';
                    ctl[to - 1] = '\r';
                    assertThat(AsciiScan.indexOfLf(lf, from, to)).isEqualTo(to - 1);
                    assertThat(AsciiScan.indexOfControl(ctl, from, to)).isEqualTo(to - 1);
                }
            }
        }
    }

    @Test
    void treatsObsTextSpaceAndVisibleAsciiAsValueBytes() {
        byte[] a = new byte[256 - 0x20 - 1];
        int n = 0;
        for (int v = 0x20; v < 256; v++) {
            if (v != 0x7F) {
                a[n++] = (byte) v;
            }
        }
        assertThat(AsciiScan.indexOfControl(a, 0, n)).isEqualTo(-1);
        assertThat(AsciiScan.indexOfLf(a, 0, n)).isEqualTo(-1);
    }

    private static boolean nameChar(int v) {
        return v >= 'a' && v <= 'z' || v >= 'A' && v <= 'Z' || v >= '0' && v <= '9' || v == '-';
    }

    @Test
    void skipsOnlyLettersDigitsAndDashesWhateverTheBytePosition() {
        for (int length = 0; length <= MAX_LENGTH; length++) {
            for (int pos = 0; pos < length; pos++) {
                for (int v = 0; v < 256; v++) {
                    byte[] a = new byte[length];
                    for (int k = 0; k < length; k++) {
                        a[k] = (byte) "aZ0-9zA".charAt(k % 7);
                    }
                    a[pos] = (byte) v;
                    int expected = nameChar(v) ? length : pos;
                    assertThat(AsciiScan.skipNameChars(a, 0, length)).as("len=%d pos=%d v=%d", length, pos, v)
                            .isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void skippedBytesAreAllTchars() {
        for (int v = 0; v < 256; v++) {
            byte[] a = {(byte) v};
            if (AsciiScan.skipNameChars(a, 0, 1) == 1) {
                assertThat(HttpChars.isTchar((byte) v)).as("byte %d", v).isTrue();
            }
        }
    }

    @Test
    void skipStopsAtTheRangeEnd() {
        byte[] a = "Content-Length: 5".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(AsciiScan.skipNameChars(a, 0, a.length)).isEqualTo(14);
        for (int to = 0; to <= 14; to++) {
            assertThat(AsciiScan.skipNameChars(a, 0, to)).isEqualTo(to);
        }
        assertThat(AsciiScan.skipNameChars(a, 3, 9)).isEqualTo(9);
    }

    @Test
    void fieldMaskFlagsStopBytesExactlyAndTheFirstControlByteExactly() {
        for (int pos = 0; pos < 8; pos++) {
            for (int v = 0; v < 256; v++) {
                for (int f = 0; f < 256; f++) {
                    byte[] a = new byte[16];
                    Arrays.fill(a, (byte) 'a');
                    a[pos] = (byte) v;
                    a[pos + 1] = (byte) f;
                    long m = AsciiScan.fieldMask(a, 0);
                    for (int k = 0; k < 8; k++) {
                        int b = a[k] & 0xFF;
                        boolean stop = (m >>> (k * 8 + 6) & 1) != 0;
                        assertThat(stop).as("stop pos=%d v=%d f=%d k=%d", pos, v, f, k).isEqualTo(!nameChar(b));
                    }
                    long control = m & AsciiScan.CONTROL_BITS;
                    int first = control == 0 ? 8 : Long.numberOfTrailingZeros(control) >>> 3;
                    int expected = 0;
                    while (expected < 8 && (a[expected] & 0xFF) >= 0x20 && (a[expected] & 0xFF) != 0x7F) {
                        expected++;
                    }
                    assertThat(first).as("control pos=%d v=%d f=%d", pos, v, f).isEqualTo(expected);
                    // Every control byte is flagged, and a flagged byte is a control byte or a stop byte.
                    for (int k = 0; k < 8; k++) {
                        int b = a[k] & 0xFF;
                        boolean flagged = (control >>> (k * 8 + 7) & 1) != 0;
                        if (b < 0x20 || b == 0x7F) {
                            assertThat(flagged).isTrue();
                        } else if (flagged) {
                            assertThat(nameChar(b)).as("spurious control flag on a name byte %d", b).isFalse();
                        }
                    }
                }
            }
        }
    }

    @Test
    void fieldMasksAreFieldMaskOfEachWord() {
        byte[] a = new byte[200];
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) (i * 37 + 11);
        }
        long[] out = new long[24];
        AsciiScan.fieldMasks(a, 3, 24, out);
        for (int j = 0; j < 24; j++) {
            assertThat(out[j]).isEqualTo(AsciiScan.fieldMask(a, 3 + 8 * j));
        }
    }
}
