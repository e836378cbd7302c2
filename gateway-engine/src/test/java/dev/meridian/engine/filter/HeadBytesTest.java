package dev.meridian.engine.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.meridian.engine.codec.Http1RequestDecoder;
import dev.meridian.engine.codec.HttpRequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.AsciiString;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Header-name and byte comparisons over every kind of buffer a head may arrive in. */
class HeadBytesTest {

    enum Kind {
        HEAP(bytes -> Unpooled.wrappedBuffer(bytes)),
        POOLED_DIRECT(bytes -> PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes)),
        /** Neither an array nor an address: read through the scratch copy. */
        COMPOSITE(bytes -> Unpooled.wrappedBuffer(Unpooled.directBuffer(bytes.length / 2).writeBytes(bytes, 0, bytes.length / 2),
                Unpooled.wrappedBuffer(bytes, bytes.length / 2, bytes.length - bytes.length / 2)));

        final Function<byte[], ByteBuf> make;

        Kind(Function<byte[], ByteBuf> make) {
            this.make = make;
        }
    }

    static HttpRequestHead head(Kind kind, String raw) {
        EmbeddedChannel ch = new EmbeddedChannel(new Http1RequestDecoder());
        ch.writeInbound(kind.make.apply(raw.getBytes(StandardCharsets.ISO_8859_1)));
        HttpRequestHead head = ch.readInbound();
        for (Object o; (o = ch.readInbound()) != null; ) {
            ReferenceCountUtil.release(o);
        }
        ch.finishAndReleaseAll();
        return head;
    }

    static HeadBytes bytes(HttpRequestHead head) {
        HeadBytes b = new HeadBytes();
        b.reset(head);
        return b;
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void findsNamesIgnoringCaseOfEveryLength(Kind kind) {
        StringBuilder raw = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        String letters = "AbCdEfGhIjKlMnOpQrStUvWxYz";
        for (int n = 1; n <= 20; n++) {
            raw.append("X").append(letters, 0, n).append(": v").append(n).append("\r\n");
        }
        HttpRequestHead head = head(kind, raw.append("\r\n").toString());
        try {
            HeadBytes b = bytes(head);
            for (int n = 1; n <= 20; n++) {
                String name = "x" + letters.substring(0, n);
                int i = b.find(new AsciiString(name.toLowerCase()));
                assertThat(i).as(name).isEqualTo(n);
                assertThat(b.find(new AsciiString(name.toUpperCase()))).as(name).isEqualTo(n);
                assertThat(head.headerValue(i)).isEqualTo("v" + n);
                // One byte off, at the start, the middle and the end: no match.
                for (int at : new int[] {0, n / 2, n}) {
                    char[] c = name.toLowerCase().toCharArray();
                    c[at] = c[at] == 'z' ? 'y' : (char) (c[at] + 1);
                    assertThat(b.find(new AsciiString(new String(c)))).as(new String(c)).isEqualTo(-1);
                }
            }
            assertThat(b.find(new AsciiString("host"))).isZero();
            assertThat(b.find(new AsciiString("hos"))).isEqualTo(-1);
        } finally {
            head.release();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void foldsOnlyLettersNotTheSymbolsThatDifferByTheCaseBit(Kind kind) {
        // '^' and '~' are both tchar and differ by 0x20, as do '_' and DEL, '@' and '`'.
        HttpRequestHead head = head(kind, "GET / HTTP/1.1\r\nHost: a\r\nX-^-Name-Long: 1\r\nX_y: 2\r\nX`z: 3\r\n\r\n");
        try {
            HeadBytes b = bytes(head);
            assertThat(b.find(new AsciiString("x-^-name-long"))).isEqualTo(1);
            assertThat(b.find(new AsciiString("x-~-name-long"))).isEqualTo(-1);
            assertThat(b.find(new AsciiString("x\u007fy"))).isEqualTo(-1);
            assertThat(b.find(new AsciiString("x_Y"))).isEqualTo(2);
            assertThat(b.find(new AsciiString("x@z"))).isEqualTo(-1);
            assertThat(b.find(new AsciiString("X`Z"))).isEqualTo(3);
        } finally {
            head.release();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void comparesRegionsExactlyUpToTheLastByteOfTheHead(Kind kind) {
        String raw = "PATCH /api/v1/orders/12345678 HTTP/1.1\r\nHost: a\r\nAccept: application/json\r\n\r\n";
        HttpRequestHead head = head(kind, raw);
        try {
            HeadBytes b = bytes(head);
            for (int n = 0; n <= 5; n++) {
                assertThat(b.regionEquals(0, new AsciiString("PATCH".substring(0, n)))).isTrue();
            }
            assertThat(b.regionEquals(0, new AsciiString("patch"))).as("methods are case-sensitive").isFalse();
            String path = "/api/v1/orders/12345678";
            for (int n = 1; n <= path.length(); n++) {
                assertThat(b.regionEquals(head.pathOffset(), new AsciiString(path.substring(0, n)))).as(path.substring(0, n)).isTrue();
                assertThat(b.regionEquals(head.pathOffset(), new AsciiString(path.substring(0, n - 1) + "X"))).isFalse();
            }
            int accept = b.find(new AsciiString("accept"));
            assertThat(b.regionEquals(head.valueOffset(accept), new AsciiString("application/json"))).isTrue();
            assertThat(b.regionEquals(head.valueOffset(accept), new AsciiString("application/jsoN"))).isFalse();
            // The final CRLF CRLF: the last bytes of the buffer, read without going past its end.
            int end = head.buffer().readableBytes();
            assertThat(b.regionEquals(end - 4, new AsciiString("\r\n\r\n"))).isTrue();
            assertThat(b.regionEquals(end - 10, new AsciiString("n/json\r\n\r\n"))).isTrue();
            assertThat(b.regionEquals(end - 10, new AsciiString("n/json\r\n\r\r"))).isFalse();
        } finally {
            head.release();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void refusesToReadAReleasedHead(Kind kind) {
        HttpRequestHead head = head(kind, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        HeadBytes b = bytes(head);
        head.release();
        assertThatThrownBy(() -> b.find(new AsciiString("host"))).isInstanceOf(IllegalReferenceCountException.class);
    }

    @Test
    void wordComparisonsAgreeWithBytewiseOnesForEveryLengthAndOffset() {
        Random random = new Random(7);
        // Letters, the symbols next to them, and bytes with the high bit set (obs-text).
        byte[] alphabet = "aAzZ@[`{^~_-09\u007f\u0080\u00c1\u00e1\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        ByteBuf direct = Unpooled.directBuffer(64);
        assumeTrue(direct.hasMemoryAddress(), "native addresses need sun.misc.Unsafe");
        try {
            for (int round = 0; round < 20_000; round++) {
                int n = random.nextInt(20);
                int ai = random.nextInt(8);
                int bi = random.nextInt(8);
                byte[] a = new byte[ai + n];
                byte[] b = new byte[bi + n];
                for (int i = 0; i < n; i++) {
                    a[ai + i] = alphabet[random.nextInt(alphabet.length)];
                    // Often the same byte, its other case, or a neighbour, so that matches happen.
                    int pick = random.nextInt(4);
                    b[bi + i] = pick == 0 ? a[ai + i] : pick == 1 ? flipCase(a[ai + i]) : alphabet[random.nextInt(alphabet.length)];
                }
                if (random.nextBoolean()) {
                    System.arraycopy(a, ai, b, bi, n); // exact copies, then a case flip or none
                    if (n > 0 && random.nextBoolean()) {
                        b[bi + random.nextInt(n)] ^= 0x20;
                    }
                }
                boolean exact = true;
                boolean folded = true;
                for (int i = 0; i < n; i++) {
                    exact &= a[ai + i] == b[bi + i];
                    folded &= AsciiWords.lower(a[ai + i]) == AsciiWords.lower(b[bi + i]);
                }
                assertThat(AsciiWords.equals(a, ai, b, bi, n)).isEqualTo(exact);
                assertThat(AsciiWords.equalsIgnoreCase(a, ai, b, bi, n)).isEqualTo(folded);
                direct.clear().writeBytes(a, ai, n);
                assertThat(AsciiWords.equals(direct.memoryAddress(), b, bi, n)).isEqualTo(exact);
                assertThat(AsciiWords.equalsIgnoreCase(direct.memoryAddress(), b, bi, n)).isEqualTo(folded);
            }
        } finally {
            direct.release();
        }
    }

    @Test
    void wordsMatchIgnoringCaseExactlyWhenEveryBytePairFoldsToTheSameByte() {
        // Every pair of byte values, at every byte position of a word and of an int, among
        // neighbours that differ from each other only in the case bit ('a' vs 'A') or not at all.
        for (int p = 0; p < 256; p++) {
            for (int q = 0; q < 256; q++) {
                boolean folded = AsciiWords.lower((byte) p) == AsciiWords.lower((byte) q);
                for (int at = 0; at < Long.BYTES; at++) {
                    long base = 0x6162417A5A2d5e7eL; // "~^-ZzAba" from the low byte up
                    long wa = base & ~(0xFFL << (at * 8)) | ((long) p << (at * 8));
                    long wb = (base ^ 0x2020202020000000L) & ~(0xFFL << (at * 8)) | ((long) q << (at * 8));
                    // Plain compares first: half a million AssertJ calls would take seconds.
                    if (AsciiWords.sameIgnoringCase(wa, wb) != folded) {
                        assertThat(AsciiWords.sameIgnoringCase(wa, wb)).as("%02x vs %02x at %d", p, q, at).isEqualTo(folded);
                    }
                    if (at < Integer.BYTES && AsciiWords.sameIgnoringCase((int) wa, (int) wb) != folded) {
                        assertThat(AsciiWords.sameIgnoringCase((int) wa, (int) wb)).as("int %02x vs %02x at %d", p, q, at)
                                .isEqualTo(folded);
                    }
                }
            }
        }
    }

    private static byte flipCase(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ? (byte) (c ^ 0x20) : c;
    }
}
