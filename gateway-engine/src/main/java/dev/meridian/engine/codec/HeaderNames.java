package dev.meridian.engine.codec;

import io.netty.buffer.ByteBuf;
import io.netty.util.AsciiString;

/**
 * Classifies a field name held in a buffer into the few names the codec acts on, without allocating.
 *
 * <p>The switch on length rejects almost every ordinary field (Accept, User-Agent, …) after one
 * comparison, so classification costs about one branch per field on the hot path.
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

    private HeaderNames() {
    }

    static int kind(ByteBuf buf, int off, int len) {
        switch (len) {
            case 2:
                return HttpChars.equalsIgnoreCase(buf, off, len, N_TE) ? TE : OTHER;
            case 4:
                return HttpChars.equalsIgnoreCase(buf, off, len, N_HOST) ? HOST : OTHER;
            case 6:
                return HttpChars.equalsIgnoreCase(buf, off, len, N_EXPECT) ? EXPECT : OTHER;
            case 7:
                if (HttpChars.equalsIgnoreCase(buf, off, len, N_TRAILER)) {
                    return TRAILER;
                }
                return HttpChars.equalsIgnoreCase(buf, off, len, N_UPGRADE) ? UPGRADE : OTHER;
            case 10:
                if (HttpChars.equalsIgnoreCase(buf, off, len, N_CONNECTION)) {
                    return CONNECTION;
                }
                return HttpChars.equalsIgnoreCase(buf, off, len, N_KEEP_ALIVE) ? KEEP_ALIVE : OTHER;
            case 14:
                return HttpChars.equalsIgnoreCase(buf, off, len, N_CONTENT_LENGTH) ? CONTENT_LENGTH : OTHER;
            case 15:
                return HttpChars.equalsIgnoreCase(buf, off, len, N_X_FORWARDED_FOR) ? X_FORWARDED_FOR : OTHER;
            case 16:
                if (HttpChars.equalsIgnoreCase(buf, off, len, N_PROXY_CONNECTION)) {
                    return PROXY_CONNECTION;
                }
                return HttpChars.equalsIgnoreCase(buf, off, len, N_X_FORWARDED_HOST) ? X_FORWARDED_HOST : OTHER;
            case 17:
                if (HttpChars.equalsIgnoreCase(buf, off, len, N_TRANSFER_ENCODING)) {
                    return TRANSFER_ENCODING;
                }
                return HttpChars.equalsIgnoreCase(buf, off, len, N_X_FORWARDED_PROTO) ? X_FORWARDED_PROTO : OTHER;
            case 19:
                return HttpChars.equalsIgnoreCase(buf, off, len, N_PROXY_AUTHORIZATION) ? PROXY_AUTHORIZATION : OTHER;
            default:
                return OTHER;
        }
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
