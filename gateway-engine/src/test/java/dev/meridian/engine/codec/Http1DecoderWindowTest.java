package dev.meridian.engine.codec;

import static dev.meridian.engine.codec.CodecTestSupport.drain;
import static dev.meridian.engine.codec.CodecTestSupport.releaseAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The field-line fast path classifies a window of bytes at once and reads line ends off the masks
 * ({@link Http1Decoder}); the general path reads one line at a time. Fed a byte per read, the
 * decoder never has a window to classify, so comparing that with whole reads proves the windowed
 * path records exactly what the general path would (offsets, kinds, canonical lines, hop-by-hop
 * marks) and stops at exactly the lines the general path rejects, with the same error. The heads
 * are generated around the window's edges: lines ending at, before and after 512 bytes, lines
 * longer than a window, tails shorter than a word, and every kind of odd byte.
 */
class Http1DecoderWindowTest {

    private static final String[] NAMES = {"Host", "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive",
        "Proxy-Connection", "TE", "Trailer", "Upgrade", "Expect", "X-Forwarded-For", "X-Forwarded-Proto",
        "X-Forwarded-Host", "Proxy-Authorization", "Accept", "User-Agent", "Cookie", "X-A", "a", "x_y", "a!b~c",
        "Sec-Fetch-Mode", "X-0123456789-abcdefghij"};

    @Test
    void wholeReadsRecordWhatTheGeneralPathRecords() {
        Random random = new Random(20261127);
        for (int n = 0; n < 3000; n++) {
            byte[] head = head(random);
            List<String> general = transcript(chunks(head, 1));
            String label = new String(head, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
            assertThat(transcript(List.of(direct(head)))).as(label).isEqualTo(general);
            assertThat(transcript(List.of(Unpooled.wrappedBuffer(head.clone())))).as(label).isEqualTo(general);
            int split = random.nextInt(head.length + 1);
            assertThat(transcript(List.of(direct(head, 0, split), direct(head, split, head.length)))).as(label)
                    .isEqualTo(general);
        }
    }

    private static byte[] head(Random r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, "GET /p HTTP/1.1\r\n");
        if (r.nextInt(8) != 0) {
            write(out, "Host: h\r\n");
        }
        int lines = r.nextInt(30);
        // Make some line end near a window edge: pad the first line so the rest shifts each time.
        write(out, "X-Pad: " + "p".repeat(r.nextInt(600)) + "\r\n");
        for (int i = 0; i < lines; i++) {
            String name = NAMES[r.nextInt(NAMES.length)];
            if (name.equals("Host") || name.equals("Content-Length") || name.equals("Transfer-Encoding")
                    || name.equals("Expect")) {
                name = r.nextInt(4) == 0 ? name : "X-" + name; // keep most heads acceptable
            }
            write(out, oddCase(name, r));
            if (r.nextInt(40) == 0) {
                write(out, " "); // whitespace before the colon
            }
            write(out, ":");
            String[] ows = {"", " ", " ", " ", "  ", "\t", " \t"};
            write(out, ows[r.nextInt(ows.length)]);
            int length = r.nextInt(10) == 0 ? r.nextInt(700) : r.nextInt(60);
            for (int k = 0; k < length; k++) {
                out.write(valueByte(r));
            }
            if (r.nextInt(6) == 0) {
                write(out, r.nextBoolean() ? " " : "\t");
            }
            int end = r.nextInt(60);
            write(out, end == 0 ? "\n" : end == 1 ? "\r" : end == 2 ? "\r\n " : "\r\n");
        }
        if (r.nextInt(10) != 0) {
            write(out, "\r\n");
        }
        return out.toByteArray();
    }

    private static int valueByte(Random r) {
        int x = r.nextInt(200);
        if (x < 150) {
            return 'a' + r.nextInt(26);
        }
        if (x < 185) {
            return " ,;=\"/:!?@()[]{}.-_~*'`#$%^&|+<>\\".charAt(r.nextInt(33));
        }
        int[] odd = {0x00, 0x01, '\t', '\n', '\r', 0x1F, 0x20, 0x7E, 0x7F, 0x80, 0xA0, 0xFF, 0x0C};
        return odd[r.nextInt(odd.length)];
    }

    private static String oddCase(String name, Random r) {
        char[] c = name.toCharArray();
        for (int i = 0; i < c.length; i++) {
            c[i] = r.nextBoolean() ? Character.toUpperCase(c[i]) : Character.toLowerCase(c[i]);
        }
        return new String(c);
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static ByteBuf direct(byte[] b) {
        return direct(b, 0, b.length);
    }

    private static ByteBuf direct(byte[] b, int from, int to) {
        return PooledByteBufAllocator.DEFAULT.directBuffer(Math.max(1, to - from)).writeBytes(b, from, to - from);
    }

    private static List<ByteBuf> chunks(byte[] b, int step) {
        List<ByteBuf> reads = new ArrayList<>();
        for (int i = 0; i < b.length; i += step) {
            reads.add(direct(b, i, Math.min(b.length, i + step)));
        }
        return reads;
    }

    private static List<String> transcript(List<ByteBuf> reads) {
        EmbeddedChannel ch = new EmbeddedChannel(new Http1RequestDecoder());
        List<String> out = new ArrayList<>();
        for (ByteBuf read : reads) {
            if (!read.isReadable()) {
                read.release();
                continue;
            }
            ch.writeInbound(read);
            for (Object m : drain(ch)) {
                out.add(describe(m));
                releaseAll(List.of(m));
            }
        }
        ch.finishAndReleaseAll();
        return out;
    }

    private static String describe(Object m) {
        if (m instanceof HttpRequestHead h) {
            StringBuilder sb = new StringBuilder("head cl=").append(h.contentLength()).append(" chunked=")
                    .append(h.chunked()).append(" keepAlive=").append(h.keepAlive()).append(" host=")
                    .append(h.hostIndex());
            int[] t = h.fieldTable();
            for (int i = 0; i < h.headerCount(); i++) {
                int info = t[i * HeadFields.STRIDE + HeadFields.INFO];
                sb.append(" [").append(h.nameOffset(i)).append('+').append(h.nameLength(i)).append('@')
                        .append(h.valueOffset(i)).append('+').append(h.valueLength(i)).append(" kind=")
                        .append(h.kind(i)).append((info & HeadFields.CANONICAL) != 0 ? " canonical" : "")
                        .append(h.isHopByHop(i) ? " hop" : "").append(']');
            }
            return sb.toString();
        }
        if (m instanceof HttpDecodeError e) {
            return "error " + e.status() + ' ' + e.reason();
        }
        return m.getClass().getSimpleName();
    }
}
