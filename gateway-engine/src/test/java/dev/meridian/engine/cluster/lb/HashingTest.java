package dev.meridian.engine.cluster.lb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HashingTest {

    private static long xx(String s) {
        return Hashing.xxHash64(s.getBytes(StandardCharsets.US_ASCII), 0);
    }

    @Test
    void xxHash64MatchesPublishedVectors() {
        // Each length class: empty, tail bytes, 4-byte tail, 8-byte lanes, and the 32-byte stripe loop.
        assertThat(xx("")).isEqualTo(0xEF46DB3751D8E999L);
        assertThat(xx("a")).isEqualTo(0xD24EC4F1A98C6E5BL);
        assertThat(xx("abc")).isEqualTo(0x44BC2CF5AD770999L);
        assertThat(xx("message digest")).isEqualTo(0x066ED728FCEEB3BEL);
        assertThat(xx("abcdefghijklmnopqrstuvwxyz")).isEqualTo(0xCFE1F278FA89835CL);
        assertThat(xx("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")).isEqualTo(0xAAA46907D3047814L);
        assertThat(xx("12345678901234567890123456789012345678901234567890123456789012345678901234567890"))
                .isEqualTo(0xE04A477F19EE145DL);
    }

    @Test
    void seedAndOffsetChangeTheHashAsExpected() {
        byte[] data = "xxabcxx".getBytes(StandardCharsets.US_ASCII);
        assertThat(Hashing.xxHash64(data, 2, 3, 0)).isEqualTo(xx("abc"));
        assertThat(Hashing.xxHash64(data, 2, 3, 1)).isNotEqualTo(xx("abc"));
    }

    @Test
    void mix64SpreadsSequentialKeys() {
        // Sequential inputs must land in both halves of the range about equally.
        int high = 0;
        for (long k = 0; k < 10_000; k++) {
            if (Hashing.mix64(k) < 0) {
                high++;
            }
        }
        assertThat(high).isBetween(4_700, 5_300);
        assertThat(Hashing.mix64(1)).isNotEqualTo(Hashing.mix64(2));
    }
}
