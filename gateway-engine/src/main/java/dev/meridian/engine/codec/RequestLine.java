package dev.meridian.engine.codec;

import io.netty.util.AsciiString;

/**
 * Parses one request line (RFC 9112 §3) into offsets; a reusable scratch object of the decoder.
 *
 * <p>Strict by design: exactly one SP between the parts, a token method, a target of visible
 * US-ASCII, and the version spelled exactly {@code HTTP/1.1} or {@code HTTP/1.0}. Every lenient
 * parser in a chain is a chance for two parsers to disagree (request smuggling).
 */
final class RequestLine {

    private static final AsciiString HTTP_SCHEME = AsciiString.cached("http://");
    private static final AsciiString HTTPS_SCHEME = AsciiString.cached("https://");

    int methodLength;
    int targetOffset;
    int targetLength;
    int pathOffset;
    int pathLength;
    int queryOffset;
    int authorityOffset;
    int authorityLength;
    boolean absoluteForm;
    boolean asteriskForm;
    boolean headMethod;
    boolean http11;

    /**
     * Parses the line of {@code len} bytes starting at {@code buf[base]} (CRLF excluded); offsets are
     * stored relative to {@code base}.
     *
     * @return a {@link DecodeErrors} kind, or -1 when the line is valid
     */
    int parse(byte[] buf, int base, int len) {
        int i = 0;
        while (i < len && HttpChars.isTchar(buf[base + i])) {
            i++;
        }
        if (i == 0 || i == len) {
            return DecodeErrors.BAD_REQUEST_LINE;
        }
        if (buf[base + i] != HttpChars.SP) {
            return DecodeErrors.BAD_METHOD;
        }
        methodLength = i;
        int ts = i + 1;
        int j = ts;
        while (j < len && HttpChars.isTargetChar(buf[base + j])) {
            j++;
        }
        // An empty target also catches a doubled SP after the method.
        if (j == ts || (j < len && buf[base + j] != HttpChars.SP)) {
            return DecodeErrors.BAD_TARGET;
        }
        if (j == len) {
            return DecodeErrors.BAD_REQUEST_LINE;
        }
        targetOffset = ts;
        targetLength = j - ts;
        int versionError = parseVersion(buf, base + j + 1, len - j - 1);
        if (versionError >= 0) {
            return versionError;
        }
        headMethod = methodLength == 4 && matches(buf, base, "HEAD");
        // CONNECT tunnels are not proxied; answer 501 whatever its target looks like.
        if (methodLength == 7 && matches(buf, base, "CONNECT")) {
            return DecodeErrors.CONNECT_NOT_SUPPORTED;
        }
        return parseTarget(buf, base);
    }

    /** RFC 9112 §2.3: HTTP-version = "HTTP" "/" DIGIT "." DIGIT, case-sensitive. */
    private int parseVersion(byte[] buf, int off, int len) {
        if (len != 8 || !matches(buf, off, "HTTP/") || !isDigit(buf[off + 5])
                || buf[off + 6] != '.' || !isDigit(buf[off + 7])) {
            return DecodeErrors.BAD_VERSION;
        }
        if (buf[off + 5] != '1') {
            return DecodeErrors.UNSUPPORTED_VERSION;
        }
        byte minor = buf[off + 7];
        if (minor == '1') {
            http11 = true;
        } else if (minor == '0') {
            http11 = false;
        } else {
            return DecodeErrors.UNSUPPORTED_VERSION;
        }
        return -1;
    }

    private int parseTarget(byte[] buf, int base) {
        int ts = base + targetOffset;
        int end = ts + targetLength;
        absoluteForm = false;
        asteriskForm = false;
        authorityOffset = -1;
        authorityLength = 0;
        byte first = buf[ts];
        int pathStart;
        if (first == '/') {
            pathStart = ts; // origin-form, RFC 9112 §3.2.1
        } else if (first == '*' && targetLength == 1) {
            // RFC 9112 §3.2.4: asterisk-form only for a server-wide OPTIONS.
            if (methodLength != 7 || !matches(buf, base, "OPTIONS")) {
                return DecodeErrors.BAD_TARGET;
            }
            asteriskForm = true;
            pathOffset = targetOffset;
            pathLength = 1;
            queryOffset = -1;
            return -1;
        } else {
            // RFC 9112 §3.2.2 absolute-form; only the http and https schemes make sense to a gateway.
            int schemeLength;
            if (HttpChars.startsWithIgnoreCase(buf, ts, targetLength, HTTP_SCHEME)) {
                schemeLength = HTTP_SCHEME.length();
            } else if (HttpChars.startsWithIgnoreCase(buf, ts, targetLength, HTTPS_SCHEME)) {
                schemeLength = HTTPS_SCHEME.length();
            } else {
                return DecodeErrors.BAD_TARGET;
            }
            int as = ts + schemeLength;
            int ae = as;
            while (ae < end) {
                byte b = buf[ae];
                if (b == '/' || b == '?') {
                    break;
                }
                // RFC 9110 §4.2.4: userinfo in an http(s) URI is an error; "http://good@evil/"
                // is a classic trick to make a log or a filter read the wrong host.
                if (b == '@') {
                    return DecodeErrors.BAD_TARGET;
                }
                // RFC 3986 §3.2.2: the same character set as a Host value, so the authority we
                // compare with Host and route on holds no backslash, quote or bracket trick.
                if (!HttpChars.isHostChar(b)) {
                    return DecodeErrors.BAD_AUTHORITY;
                }
                ae++;
            }
            if (ae == as) {
                return DecodeErrors.BAD_TARGET;
            }
            absoluteForm = true;
            authorityOffset = as - base;
            authorityLength = ae - as;
            pathStart = ae;
        }
        int q = pathStart;
        while (q < end && buf[q] != '?') {
            q++;
        }
        pathOffset = pathStart - base;
        pathLength = q - pathStart;
        queryOffset = q < end ? q - base : -1;
        return -1;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean matches(byte[] buf, int off, String ascii) {
        for (int k = 0; k < ascii.length(); k++) {
            if (buf[off + k] != ascii.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
