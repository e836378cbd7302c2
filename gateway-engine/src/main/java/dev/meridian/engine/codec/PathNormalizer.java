package dev.meridian.engine.codec;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Normalizes the path of a request-target so that routing and the forwarded request use the same
 * bytes: no encoding of {@code ../} can make the origin see a path outside the route that matched.
 *
 * <p>Steps, in RFC 3986 order:
 * <ol>
 *   <li>Percent-encoded unreserved characters ({@code ALPHA DIGIT - . _ ~}) are decoded and every
 *       remaining escape gets upper-case hex (RFC 3986 §6.2.2.1, §6.2.2.2). Other escapes stay
 *       encoded: decoding {@code %2F} or {@code %3F} would change the path's structure. Decoding
 *       comes first, so {@code %2e%2E} is a dot-segment like {@code ..}.</li>
 *   <li>Dot-segments are removed (RFC 3986 §5.2.4). A path that would climb above the root is
 *       clamped to it, as §5.2.4 does: {@code /../x} becomes {@code /x}. A trailing {@code .} or
 *       {@code ..} leaves a trailing slash ({@code /a/b/..} becomes {@code /a/}).</li>
 *   <li>Repeated slashes are merged ({@code /a//b} becomes {@code /a/b}); a trailing slash is kept.
 *       RFC 3986 treats empty segments as significant, but most origins collapse them, and a
 *       prefix {@code /admin} must not be dodged by {@code //admin}.</li>
 * </ol>
 * Octets with more than one reading are decided by a {@link PathPolicy}: encoded slash, backslash,
 * NUL, invalid UTF-8 in decoded octets and dot-segments with {@code ;} parameters (rejected by
 * default). A {@code %} not followed by two hex digits, and any octet that is not a visible
 * US-ASCII character of a request-target, is always rejected. The query is not part of the path
 * and never touched.
 *
 * <p>{@link #check} is allocation-free and answers {@link #NORMAL} for the common, already normal
 * path; only a path it reports {@link #CHANGED} needs {@link #normalize}. Invariants (checked by the
 * fuzz target): {@code check} is negative exactly when {@code normalize} returns null; for a
 * {@code NORMAL} path {@code normalize} returns the input bytes; a normalized path checks {@code NORMAL}.
 *
 * <p>An empty path (absolute-form without a path, read as "/") and the asterisk-form {@code *} are
 * {@code NORMAL}; anything else must start with "/".
 */
public final class PathNormalizer {

    /** The path is already normal: route on and forward the received bytes. */
    public static final int NORMAL = 0;
    /** The path needs {@link #normalize}; route on and forward its result. */
    public static final int CHANGED = 1;

    /** {@code %} not followed by two hex digits (RFC 3986 §2.1). */
    public static final int REJECT_BAD_ESCAPE = -1;
    /** {@code %2F} under {@link PathPolicy.EncodedSlash#REJECT}. */
    public static final int REJECT_ENCODED_SLASH = -2;
    /** Raw or encoded backslash under {@link PathPolicy.Backslash#REJECT}. */
    public static final int REJECT_BACKSLASH = -3;
    /** {@code %00} when {@link PathPolicy#rejectNul()}. */
    public static final int REJECT_NUL = -4;
    /** Decoded octets that are not UTF-8 when {@link PathPolicy#rejectInvalidUtf8()}. */
    public static final int REJECT_INVALID_UTF8 = -5;
    /** An octet that is not a visible US-ASCII request-target character, or a raw {@code ?} or {@code #}. */
    public static final int REJECT_BAD_CHAR = -6;
    /** A {@code .;x} or {@code ..;x} segment when {@link PathPolicy#rejectDotSegmentParams()}. */
    public static final int REJECT_DOT_SEGMENT_PARAMS = -7;
    /** A path that is neither empty, {@code *}, nor starts with "/". */
    public static final int REJECT_NOT_ABSOLUTE = -8;

    private static final byte[] HEX_UPPER = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};

    private PathNormalizer() {
    }

    /**
     * Decides, without allocating, whether the {@code pathLength} bytes at absolute index
     * {@code pathOffset} of {@code buf} are normal, need {@link #normalize}, or must be rejected.
     *
     * @return {@link #NORMAL}, {@link #CHANGED}, or one of the negative {@code REJECT_*} values (400)
     */
    public static int check(ByteBuf buf, int pathOffset, int pathLength, PathPolicy policy) {
        if (pathLength == 0) {
            return NORMAL;
        }
        byte first = buf.getByte(pathOffset);
        if (first != '/') {
            return pathLength == 1 && first == '*' ? NORMAL : REJECT_NOT_ABSOLUTE;
        }
        boolean changed = false;
        boolean utf8 = policy.rejectInvalidUtf8();
        // UTF-8 decoder state over decoded octets (RFC 3629 §4): continuation octets still owed
        // and the range the next one must fall in (excludes overlongs and surrogates).
        int need = 0;
        int lo = 0x80;
        int hi = 0xBF;
        // The current segment, measured in decoded octets.
        int segLen = 0;
        boolean segDots = true;
        int semiAt = -1;
        boolean semiDots = false;
        int end = pathOffset + pathLength;
        for (int i = pathOffset + 1; i <= end; i++) {
            if (i == end || buf.getByte(i) == '/') {
                if (need > 0) {
                    return REJECT_INVALID_UTF8; // a sequence cut by a separator or the end
                }
                if (segLen == 0) {
                    changed |= i != end; // "//": merged; a trailing "/" is kept
                } else if (segDots && segLen <= 2) {
                    changed = true; // "." or "..", however encoded
                }
                // "/..;/" is ".." to Tomcat and Jetty, an ordinary segment to RFC 3986 and to us:
                // the classic route-prefix bypass (CVE-2020-1938 family, Spring Security's "..;").
                if (semiDots && (semiAt == 1 || semiAt == 2) && policy.rejectDotSegmentParams()) {
                    return REJECT_DOT_SEGMENT_PARAMS;
                }
                segLen = 0;
                segDots = true;
                semiAt = -1;
                continue;
            }
            byte b = buf.getByte(i);
            if (b == '%') {
                if (i + 2 >= end) {
                    return REJECT_BAD_ESCAPE;
                }
                byte c1 = buf.getByte(i + 1);
                byte c2 = buf.getByte(i + 2);
                int h1 = HttpChars.hexValue(c1);
                int h2 = HttpChars.hexValue(c2);
                if (h1 < 0 || h2 < 0) {
                    return REJECT_BAD_ESCAPE;
                }
                i += 2;
                int v = (h1 << 4) | h2;
                if (utf8) {
                    if (need > 0) {
                        if (v < lo || v > hi) {
                            return REJECT_INVALID_UTF8;
                        }
                        need--;
                        lo = 0x80;
                        hi = 0xBF;
                    } else if (v >= 0x80) {
                        // Overlong forms (%C0%AE for '.') are how "..%c0%af" walked out of IIS.
                        if (v >= 0xC2 && v <= 0xDF) {
                            need = 1;
                        } else if (v >= 0xE0 && v <= 0xEF) {
                            need = 2;
                            lo = v == 0xE0 ? 0xA0 : 0x80;
                            hi = v == 0xED ? 0x9F : 0xBF;
                        } else if (v >= 0xF0 && v <= 0xF4) {
                            need = 3;
                            lo = v == 0xF0 ? 0x90 : 0x80;
                            hi = v == 0xF4 ? 0x8F : 0xBF;
                        } else {
                            return REJECT_INVALID_UTF8;
                        }
                    }
                }
                if (isUnreserved(v)) {
                    changed = true; // decoded
                    segLen++;
                    segDots &= v == '.';
                    continue;
                }
                if (v == '/' && policy.encodedSlash() == PathPolicy.EncodedSlash.REJECT) {
                    // Some origins decode %2F into a separator after routing: "/public%2F..%2Fadmin".
                    return REJECT_ENCODED_SLASH;
                }
                if (v == '\\' && policy.backslash() == PathPolicy.Backslash.REJECT) {
                    return REJECT_BACKSLASH;
                }
                if (v == 0 && policy.rejectNul()) {
                    // NUL truncates the path in C origins and file APIs: "/public/x%00/../admin".
                    return REJECT_NUL;
                }
                changed |= isLowerHex(c1) || isLowerHex(c2);
                segLen++;
                segDots = false;
                continue;
            }
            if (need > 0) {
                return REJECT_INVALID_UTF8; // a raw octet where a continuation octet is owed
            }
            if (!HttpChars.isTargetChar(b) || b == '?') {
                return REJECT_BAD_CHAR;
            }
            if (b == '\\') {
                // Windows servers read "\" as "/": "/public\..\admin" (path confusion).
                if (policy.backslash() == PathPolicy.Backslash.REJECT) {
                    return REJECT_BACKSLASH;
                }
                changed = true; // forwarded as %5C
            } else if (b == ';' && semiAt < 0) {
                semiAt = segLen;
                semiDots = segDots;
            }
            segLen++;
            segDots &= b == '.';
        }
        return changed ? CHANGED : NORMAL;
    }

    /**
     * The normalized path bytes, or null when {@link #check} rejects the path. Meant for paths that
     * check {@link #CHANGED}; for a {@link #NORMAL} one it returns a copy of the input.
     */
    public static byte[] normalize(ByteBuf buf, int pathOffset, int pathLength, PathPolicy policy) {
        int verdict = check(buf, pathOffset, pathLength, policy);
        if (verdict < 0) {
            return null;
        }
        if (verdict == NORMAL) {
            byte[] copy = new byte[pathLength];
            buf.getBytes(pathOffset, copy);
            return copy;
        }
        // Pass 1 (RFC 3986 §6.2.2): decode unreserved escapes, upper-case the others, encode a raw
        // backslash (only reached under Backslash.KEEP_ENCODED). Never longer than 3x the input.
        int end = pathOffset + pathLength;
        byte[] d = new byte[pathLength * 3];
        int n = 0;
        for (int i = pathOffset; i < end; i++) {
            byte b = buf.getByte(i);
            if (b == '%') {
                int v = (HttpChars.hexValue(buf.getByte(i + 1)) << 4) | HttpChars.hexValue(buf.getByte(i + 2));
                i += 2;
                if (isUnreserved(v)) {
                    d[n++] = (byte) v;
                } else {
                    n = writeEscape(d, n, v);
                }
            } else if (b == '\\') {
                n = writeEscape(d, n, b);
            } else {
                d[n++] = b;
            }
        }
        return removeDotSegments(d, n);
    }

    private static int writeEscape(byte[] d, int n, int v) {
        d[n] = '%';
        d[n + 1] = HEX_UPPER[v >>> 4];
        d[n + 2] = HEX_UPPER[v & 0xF];
        return n + 3;
    }

    /**
     * Pass 2, RFC 3986 §5.2.4 over the decoded path {@code d[0..n)} (starting with "/"), plus the
     * merging of empty segments. Segments are appended to the output; ".." pops the last one, and
     * at the root pops nothing (the clamp). A last segment that is empty, "." or ".." leaves a "/".
     */
    private static byte[] removeDotSegments(byte[] d, int n) {
        byte[] out = new byte[n + 1];
        int[] starts = new int[n / 2 + 1];
        int depth = 0;
        int pos = 0;
        boolean trailingSlash = false;
        int s = 1;
        while (s <= n) {
            int e = s;
            while (e < n && d[e] != '/') {
                e++;
            }
            boolean last = e >= n;
            int len = e - s;
            if (len == 0 || (len == 1 && d[s] == '.')) {
                trailingSlash = last;
            } else if (len == 2 && d[s] == '.' && d[s + 1] == '.') {
                if (depth > 0) {
                    pos = starts[--depth];
                }
                trailingSlash = last;
            } else {
                starts[depth++] = pos;
                out[pos++] = '/';
                System.arraycopy(d, s, out, pos, len);
                pos += len;
                trailingSlash = false;
            }
            s = e + 1;
        }
        if (pos == 0 || trailingSlash) {
            out[pos++] = '/';
        }
        return pos == out.length ? out : Arrays.copyOf(out, pos);
    }

    private static boolean isUnreserved(int v) {
        return (v >= 'a' && v <= 'z') || (v >= 'A' && v <= 'Z') || (v >= '0' && v <= '9')
                || v == '-' || v == '.' || v == '_' || v == '~';
    }

    private static boolean isLowerHex(byte b) {
        return b >= 'a' && b <= 'f';
    }
}
