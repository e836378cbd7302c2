package dev.meridian.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeaderNamesTest {

    private static final Map<AsciiString, Integer> OURS = Map.ofEntries(
            Map.entry(HeaderNames.N_HOST, HeaderNames.HOST),
            Map.entry(HeaderNames.N_CONTENT_LENGTH, HeaderNames.CONTENT_LENGTH),
            Map.entry(HeaderNames.N_TRANSFER_ENCODING, HeaderNames.TRANSFER_ENCODING),
            Map.entry(HeaderNames.N_CONNECTION, HeaderNames.CONNECTION),
            Map.entry(HeaderNames.N_KEEP_ALIVE, HeaderNames.KEEP_ALIVE),
            Map.entry(HeaderNames.N_PROXY_CONNECTION, HeaderNames.PROXY_CONNECTION),
            Map.entry(HeaderNames.N_TE, HeaderNames.TE),
            Map.entry(HeaderNames.N_TRAILER, HeaderNames.TRAILER),
            Map.entry(HeaderNames.N_UPGRADE, HeaderNames.UPGRADE),
            Map.entry(HeaderNames.N_EXPECT, HeaderNames.EXPECT),
            Map.entry(HeaderNames.N_X_FORWARDED_FOR, HeaderNames.X_FORWARDED_FOR),
            Map.entry(HeaderNames.N_X_FORWARDED_PROTO, HeaderNames.X_FORWARDED_PROTO),
            Map.entry(HeaderNames.N_X_FORWARDED_HOST, HeaderNames.X_FORWARDED_HOST),
            Map.entry(HeaderNames.N_PROXY_AUTHORIZATION, HeaderNames.PROXY_AUTHORIZATION));

    /** The name at an offset inside a larger array, as the decoder sees it. */
    private static int kind(byte[] name) {
        byte[] a = new byte[name.length + 6];
        Arrays.fill(a, (byte) 'x');
        System.arraycopy(name, 0, a, 3, name.length);
        return HeaderNames.kind(a, 3, name.length);
    }

    @Test
    void classifiesEveryNameInEveryCaseLikeTheBufferVersion() {
        OURS.forEach((name, kind) -> {
            byte[] lower = name.toByteArray();
            byte[] upper = name.toUpperCase().toByteArray();
            byte[] mixed = lower.clone();
            for (int i = 0; i < mixed.length; i += 2) {
                mixed[i] = upper[i];
            }
            for (byte[] spelling : new byte[][] {lower, upper, mixed}) {
                assertThat(kind(spelling)).as(new String(spelling, StandardCharsets.ISO_8859_1)).isEqualTo(kind);
                assertThat(HeaderNames.kind(io.netty.buffer.Unpooled.wrappedBuffer(spelling), 0, spelling.length))
                        .isEqualTo(kind);
            }
        });
    }

    @Test
    void anyOtherByteAtAnyPositionIsAnotherName() {
        // Every one-byte change of every name, with every byte value (NUL, CR, LF, '-'^0x20 = CR,
        // high-bit bytes, the other case of a non-letter): only the case of a letter keeps the kind.
        OURS.forEach((name, kind) -> {
            byte[] lower = name.toByteArray();
            for (int pos = 0; pos < lower.length; pos++) {
                for (int v = 0; v < 256; v++) {
                    byte[] b = lower.clone();
                    b[pos] = (byte) v;
                    boolean sameLetter = v == lower[pos]
                            || (lower[pos] >= 'a' && lower[pos] <= 'z' && v == lower[pos] - 32);
                    assertThat(kind(b)).as("%s with 0x%02x at %d", name, v, pos)
                            .isEqualTo(sameLetter ? kind : HeaderNames.OTHER);
                }
            }
        });
    }

    @Test
    void prefixesExtensionsAndOrdinaryNamesAreOther() {
        for (String other : new String[] {"h", "hos", "hostx", "xhost", "Accept", "User-Agent", "Sec-Fetch-Site",
            "Accept-Encoding", "sec-ch-ua-mobile", "Upgrade-Insecure-Requests", "content-lengths",
            "transfer-encodin", "proxy-authorizatio", "connectio", "4e", "T", "te-", "0123456789012345678901234567890",
            "01234567890123456789012345678901234567890123456789"}) {
            assertThat(kind(other.getBytes(StandardCharsets.ISO_8859_1))).as(other).isEqualTo(HeaderNames.OTHER);
        }
    }

    /**
     * The decoder stores each field's kind in the head as it parses the line, whatever the case of
     * the name and whichever path parsed it: the windowed fast path, the line-by-line path after a
     * line longer than a window, and the general path (a tab after the colon). The encoders read
     * only what is stored.
     */
    @Test
    void theDecoderStoresEveryFieldsKindOnEveryPath() {
        String longLine = "X-Long: " + "v".repeat(700) + "\r\n";
        for (String separator : new String[] {": ", ":\t"}) {
            for (String before : new String[] {"", longLine}) {
                StringBuilder raw = new StringBuilder("GET / HTTP/1.1\r\nhOsT: h\r\n").append(before);
                OURS.forEach((name, kind) -> {
                    if (kind != HeaderNames.HOST && kind != HeaderNames.CONTENT_LENGTH
                            && kind != HeaderNames.TRANSFER_ENCODING && kind != HeaderNames.EXPECT) {
                        raw.append(oddCase(name)).append(separator).append("v\r\n");
                    }
                });
                raw.append("cONTENT-lENGTH").append(separator).append("0\r\n");
                raw.append("eXPECT").append(separator).append("100-continue\r\n");
                raw.append("X-Other").append(separator).append("v\r\n\r\n");
                HttpRequestHead head = EncoderTestSupport.requestHead(raw.toString());
                try {
                    for (int i = 0; i < head.headerCount(); i++) {
                        String name = head.headerName(i);
                        int expected = OURS.getOrDefault(new AsciiString(name).toLowerCase(), HeaderNames.OTHER);
                        assertThat(head.kind(i)).as(name + separator + before.length()).isEqualTo(expected);
                    }
                } finally {
                    head.release();
                }
            }
        }
    }

    private static String oddCase(AsciiString name) {
        char[] c = name.toString().toCharArray();
        for (int i = 1; i < c.length; i += 2) {
            c[i] = Character.toUpperCase(c[i]);
        }
        return new String(c);
    }
}
