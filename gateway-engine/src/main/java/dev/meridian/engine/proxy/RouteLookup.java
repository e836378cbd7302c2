package dev.meridian.engine.proxy;

import dev.meridian.engine.codec.HttpRequestHead;
import dev.meridian.engine.route.Route;
import dev.meridian.engine.runtime.RuntimeSnapshot;
import java.nio.charset.StandardCharsets;

/**
 * Finds a request's route in a snapshot's table from the bytes of its head: the received Host
 * and path, or the normalized path when normalization changed it.
 */
final class RouteLookup {

    private RouteLookup() {
    }

    /** The route for {@code head}, or null; {@code normalizedPath} is the path to route on when not null. */
    static Route match(RuntimeSnapshot snapshot, HttpRequestHead head, byte[] normalizedPath) {
        int hostIndex = head.hostIndex();
        int hostOffset = hostIndex < 0 ? 0 : head.valueOffset(hostIndex);
        int hostLength = hostIndex < 0 ? -1 : head.valueLength(hostIndex);
        if (normalizedPath != null || head.pathLength() == 0) {
            // A normalized path, or an absolute-form target with an empty path, which means "/"
            // (RFC 9112 §3.2.2): both rare, so Strings are fine here.
            String host = hostIndex < 0 ? null : head.buffer().toString(hostOffset, hostLength,
                    StandardCharsets.US_ASCII);
            String path = normalizedPath != null ? new String(normalizedPath, StandardCharsets.ISO_8859_1) : "/";
            return snapshot.routes().match(host, path);
        }
        return snapshot.routes().match(head.buffer(), hostOffset, hostLength, head.pathOffset(), head.pathLength());
    }
}
