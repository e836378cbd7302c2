package dev.meridian.engine.cluster;

import dev.meridian.engine.config.ClusterSpec;
import io.netty.util.AsciiString;
import java.util.Locale;

/**
 * What a hashing balancer (Maglev) keys a request on, compiled from a cluster's {@code hash_on}:
 * {@code client_ip} (the default), {@code path}, {@code header:<name>} or {@code cookie:<name>}.
 * A request without the header or cookie falls back to its client address, so it still sticks.
 *
 * @param kind what to hash
 * @param name the header name (lower case) or cookie name, for {@link Kind#HEADER} and {@link Kind#COOKIE}
 */
public record HashKey(Kind kind, AsciiString name) {

    /** The key of a cluster without {@code hash_on}. */
    public static final HashKey CLIENT_IP = new HashKey(Kind.CLIENT_IP, null);

    /** The parts of a request a hash may come from. */
    public enum Kind { CLIENT_IP, PATH, HEADER, COOKIE }

    /**
     * Compiles a {@code hash_on} value; null means {@link #CLIENT_IP}.
     *
     * @throws IllegalArgumentException for a value {@link ClusterSpec#HASH_ON} refuses
     */
    public static HashKey parse(String hashOn) {
        if (hashOn == null || hashOn.equals("client_ip")) {
            return CLIENT_IP;
        }
        if (!ClusterSpec.HASH_ON.matcher(hashOn).matches()) {
            throw new IllegalArgumentException("hash_on: " + hashOn);
        }
        if (hashOn.equals("path")) {
            return new HashKey(Kind.PATH, null);
        }
        String name = hashOn.substring(7);
        return hashOn.startsWith("header:")
                ? new HashKey(Kind.HEADER, AsciiString.of(name.toLowerCase(Locale.ROOT)))
                : new HashKey(Kind.COOKIE, AsciiString.of(name));
    }
}
