package dev.meridian.engine.codec;

import java.util.Objects;

/**
 * What {@link PathNormalizer} does with the path octets that have no single safe meaning: encoded
 * slashes, backslashes, NUL, invalid UTF-8 and dot-segments carrying {@code ;} parameters.
 *
 * <p>Every such octet is one that some origin servers read differently from others, so a proxy that
 * routes on one reading and forwards bytes the origin reads another way can be steered past a route
 * prefix (path confusion, traversal). Rejecting is the default because it is the only choice that
 * cannot be wrong; the alternatives exist for origins known to need them.
 *
 * <table>
 *   <caption>Defaults ({@link #DEFAULT}) and alternatives</caption>
 *   <tr><th>component</th><th>default</th><th>alternative</th></tr>
 *   <tr><td>{@link #encodedSlash}</td><td>{@link EncodedSlash#REJECT}: {@code %2F} → 400</td>
 *       <td>{@link EncodedSlash#KEEP_ENCODED}: {@code %2F} stays an opaque octet of its segment
 *       (never a separator), forwarded as {@code %2F}</td></tr>
 *   <tr><td>{@link #backslash}</td><td>{@link Backslash#REJECT}: raw {@code \} or {@code %5C} → 400</td>
 *       <td>{@link Backslash#KEEP_ENCODED}: forwarded as {@code %5C}, so an origin that treats
 *       {@code \} as a separator (IIS, Windows file servers) cannot see one</td></tr>
 *   <tr><td>{@link #rejectNul}</td><td>true: {@code %00} → 400</td>
 *       <td>false: forwarded as {@code %00}</td></tr>
 *   <tr><td>{@link #rejectInvalidUtf8}</td><td>true: decoded octets that are not UTF-8 (overlong
 *       {@code %C0%AE}, surrogates, truncated sequences) → 400</td>
 *       <td>false: forwarded encoded, as received (hex case normalized)</td></tr>
 *   <tr><td>{@link #rejectDotSegmentParams}</td><td>true: a segment {@code .;x} or {@code ..;x} → 400
 *       (Tomcat and Jetty read {@code /a/..;/b} as {@code /b})</td>
 *       <td>false: forwarded as an ordinary segment</td></tr>
 * </table>
 *
 * <p>A {@code %} not followed by two hex digits is always rejected: there is no reading of it that
 * two parsers agree on.
 */
public record PathPolicy(EncodedSlash encodedSlash, Backslash backslash, boolean rejectNul,
                         boolean rejectInvalidUtf8, boolean rejectDotSegmentParams) {

    /** Rejects everything ambiguous; what the gateway uses unless a listener says otherwise. */
    public static final PathPolicy DEFAULT = new PathPolicy(EncodedSlash.REJECT, Backslash.REJECT, true, true, true);

    /** What to do with {@code %2F} in a path (RFC 3986 §2.2: encoded reserved characters are data). */
    public enum EncodedSlash {
        /** Answer 400: some origins decode {@code %2F} into a separator, some do not. */
        REJECT,
        /** Keep {@code %2F} (upper case) as data inside its segment; it never splits a segment. */
        KEEP_ENCODED
    }

    /** What to do with a raw {@code \} or {@code %5C} in a path. */
    public enum Backslash {
        /** Answer 400. */
        REJECT,
        /** Forward as {@code %5C}, which no origin reads as a separator. */
        KEEP_ENCODED
    }

    public PathPolicy {
        Objects.requireNonNull(encodedSlash, "encodedSlash");
        Objects.requireNonNull(backslash, "backslash");
    }
}
