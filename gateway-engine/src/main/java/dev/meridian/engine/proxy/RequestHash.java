package dev.meridian.engine.proxy;

import dev.meridian.engine.cluster.HashKey;
import dev.meridian.engine.codec.HttpRequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.util.AsciiString;

/**
 * Computes the hash a hashing balancer (Maglev) keys a request on, per the cluster's
 * {@link HashKey}, straight from the bytes of the request head, without allocating.
 */
final class RequestHash {

    private static final AsciiString COOKIE = AsciiString.cached("cookie");
    private static final long FNV64_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV64_PRIME = 0x100000001b3L;

    private RequestHash() {
    }

    /**
     * The hash of {@code head} for {@code key}; the client address's hash when the request has no
     * such header or cookie, so that such requests still stick to one endpoint.
     */
    static long of(HashKey key, HttpRequestHead head, byte[] normalizedPath, long clientHash) {
        ByteBuf buf = head.buffer();
        switch (key.kind()) {
            case PATH -> {
                if (normalizedPath != null) {
                    long h = FNV64_OFFSET;
                    for (byte b : normalizedPath) {
                        h = (h ^ (b & 0xff)) * FNV64_PRIME;
                    }
                    return h;
                }
                return bytes(buf, head.pathOffset(), head.pathLength());
            }
            case HEADER -> {
                int i = head.indexOf(key.name());
                if (i >= 0) {
                    return bytes(buf, head.valueOffset(i), head.valueLength(i));
                }
            }
            case COOKIE -> {
                int i = head.indexOf(COOKIE);
                if (i >= 0) {
                    long h = cookie(buf, head.valueOffset(i), head.valueLength(i), key.name());
                    if (h != 0) {
                        return h;
                    }
                }
            }
            default -> {
                // client address
            }
        }
        return clientHash;
    }

    /** FNV-1a over a byte range; Maglev mixes it further, so its weak avalanche does not matter. */
    private static long bytes(ByteBuf buf, int offset, int length) {
        long h = FNV64_OFFSET;
        for (int i = offset, end = offset + length; i < end; i++) {
            h = (h ^ (buf.getByte(i) & 0xff)) * FNV64_PRIME;
        }
        return h;
    }

    /**
     * The hash of the value of cookie {@code name} in a {@code Cookie} header value
     * ({@code a=1; b=2}, RFC 6265 §5.4; names compare case-sensitively), or 0 when absent.
     */
    private static long cookie(ByteBuf buf, int offset, int length, AsciiString name) {
        int end = offset + length;
        int i = offset;
        while (i < end) {
            while (i < end && (buf.getByte(i) == ' ' || buf.getByte(i) == ';')) {
                i++;
            }
            int nameStart = i;
            while (i < end && buf.getByte(i) != '=' && buf.getByte(i) != ';') {
                i++;
            }
            int nameEnd = i;
            int valueStart = i < end && buf.getByte(i) == '=' ? i + 1 : i;
            i = valueStart;
            while (i < end && buf.getByte(i) != ';') {
                i++;
            }
            if (nameEnd - nameStart == name.length() && sameBytes(buf, nameStart, name)) {
                return bytes(buf, valueStart, i - valueStart) | 1; // never 0: 0 means "absent"
            }
        }
        return 0;
    }

    private static boolean sameBytes(ByteBuf buf, int offset, AsciiString name) {
        for (int k = 0; k < name.length(); k++) {
            if (buf.getByte(offset + k) != name.byteAt(k)) {
                return false;
            }
        }
        return true;
    }
}
