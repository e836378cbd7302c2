package dev.meridian.engine.route;

import dev.meridian.engine.config.RouteSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The compiled route table: finds the route for a request's Host and path straight from the bytes
 * of the received buffer, without allocating.
 *
 * <p>Matching order, as {@link RouteSpec} documents it:
 * <ol>
 *   <li>Host groups are tried in order: the exact host, then wildcard hosts whose suffix matches
 *       (longest suffix first), then routes without a host. The first group with a matching path
 *       wins; a group without one falls through to the next.</li>
 *   <li>Within a group an exact {@code path} beats any {@code prefix}, and the longest prefix wins.</li>
 * </ol>
 * Hosts compare ASCII case-insensitively and without their {@code :port} or a trailing dot;
 * {@code *.example.com} matches {@code a.example.com} and {@code b.a.example.com} but not
 * {@code example.com}. Paths compare byte for byte: the caller passes the path without its query,
 * and a prefix matches on bytes, not segments ({@code /api} matches {@code /apix}, as in Envoy).
 *
 * <p>Compile from validated specs ({@code SnapshotValidator}); if two routes have the same host
 * and match anyway, the first one wins.
 *
 * @param <T> what a route resolves to (the runtime route, with its cluster and counters)
 */
public final class RouteTable<T> {

    private static final int FNV_OFFSET = 0x811C9DC5;
    private static final int FNV_PRIME = 0x01000193;

    /** Exact hosts, lowercase, in an open-addressing table; null slots are empty. */
    private final byte[][] hostKeys;
    private final PathMatcher[] hostMatchers;
    /** Wildcard suffixes including the leading dot ({@code .example.com}), longest first. */
    private final byte[][] wildcardSuffixes;
    private final PathMatcher[] wildcardMatchers;
    private final int exactHostCount;
    /** Whether any route names a host: if not, Host is never read. */
    private final boolean hasHostGroups;
    /** Routes without a host, or null when there are none. */
    private final PathMatcher anyHost;
    /** Every route's target in route order (not for matching: for carrying state across reloads). */
    private final List<T> targets;

    private RouteTable(Map<String, PathMatcher> exact, List<Map.Entry<String, PathMatcher>> wildcards, PathMatcher anyHost,
            List<T> targets) {
        this.targets = List.copyOf(targets);
        int capacity = Integer.highestOneBit(Math.max(2, exact.size() * 2 - 1)) << 1;
        this.hostKeys = new byte[capacity][];
        this.hostMatchers = new PathMatcher[capacity];
        for (Map.Entry<String, PathMatcher> e : exact.entrySet()) {
            byte[] key = e.getKey().getBytes(StandardCharsets.US_ASCII);
            int slot = spread(hostHash(key)) & (capacity - 1);
            while (hostKeys[slot] != null) {
                slot = (slot + 1) & (capacity - 1);
            }
            hostKeys[slot] = key;
            hostMatchers[slot] = e.getValue();
        }
        this.wildcardSuffixes = new byte[wildcards.size()][];
        this.wildcardMatchers = new PathMatcher[wildcards.size()];
        for (int i = 0; i < wildcards.size(); i++) {
            wildcardSuffixes[i] = wildcards.get(i).getKey().getBytes(StandardCharsets.US_ASCII);
            wildcardMatchers[i] = wildcards.get(i).getValue();
        }
        this.anyHost = anyHost;
        this.exactHostCount = exact.size();
        this.hasHostGroups = !exact.isEmpty() || !wildcards.isEmpty();
    }

    /**
     * Compiles {@code routes}, resolving each through {@code target} once.
     *
     * @throws IllegalArgumentException for a route with neither or both of prefix and path
     */
    public static <T> RouteTable<T> compile(List<RouteSpec> routes, Function<RouteSpec, T> target) {
        Map<String, GroupBuilder> groups = new LinkedHashMap<>();
        GroupBuilder anyHost = new GroupBuilder();
        List<T> all = new ArrayList<>(routes.size());
        for (RouteSpec r : routes) {
            if ((r.prefix() == null) == (r.path() == null)) {
                throw new IllegalArgumentException("route " + r + ": expected exactly one of prefix or path");
            }
            GroupBuilder g = r.host() == null ? anyHost
                    : groups.computeIfAbsent(r.host().toLowerCase(Locale.ROOT), h -> new GroupBuilder());
            T t = Objects.requireNonNull(target.apply(r), "target");
            all.add(t);
            if (r.path() != null) {
                g.exactPaths.add(r.path());
                g.exactTargets.add(t);
            } else {
                g.prefixes.add(r.prefix());
                g.prefixTargets.add(t);
            }
        }
        Map<String, PathMatcher> exact = new LinkedHashMap<>();
        List<Map.Entry<String, PathMatcher>> wildcards = new ArrayList<>();
        for (Map.Entry<String, GroupBuilder> e : groups.entrySet()) {
            if (e.getKey().startsWith("*.")) {
                wildcards.add(Map.entry(e.getKey().substring(1), e.getValue().build()));
            } else {
                exact.put(e.getKey(), e.getValue().build());
            }
        }
        wildcards.sort(Comparator.comparingInt((Map.Entry<String, PathMatcher> e) -> e.getKey().length()).reversed());
        return new RouteTable<>(exact, wildcards, anyHost.isEmpty() ? null : anyHost.build(), all);
    }

    /** Every route's target, in the order the routes were given. */
    public List<T> targets() {
        return targets;
    }

    /**
     * The target of the best route, or null when none matches.
     *
     * @param buf the buffer holding the request head; indexes are absolute ({@link ByteBuf#getByte})
     * @param hostOffset where the Host value starts
     * @param hostLength its length, or -1 when the request has no Host; a {@code :port} is ignored
     * @param pathOffset where the path starts
     * @param pathLength its length, excluding any {@code ?query}
     * @throws IndexOutOfBoundsException when a range lies outside the buffer
     */
    public T match(ByteBuf buf, int hostOffset, int hostLength, int pathOffset, int pathLength) {
        boolean byHost = hostLength > 0 && hasHostGroups;
        // Netty's bounds and liveness checks once per range, instead of once per byte through
        // getByte (on a derived buffer, a chain of them): that per-byte cost made match slower
        // than decoding a String for a HashMap.
        checkRange(buf, pathOffset, pathLength);
        if (byHost) {
            checkRange(buf, hostOffset, hostLength);
        }
        byte[] a = null;
        long address = 0;
        int shift = 0;
        if (buf.hasArray()) {
            a = buf.array();
            shift = buf.arrayOffset();
        } else if (buf.hasMemoryAddress()) {
            address = buf.memoryAddress();
        } else {
            // Composite or read-only: copy the span holding Host and path (allocates; not the
            // buffers a socket read or the decoder produce).
            int from = byHost ? Math.min(hostOffset, pathOffset) : pathOffset;
            int to = byHost ? Math.max(hostOffset + hostLength, pathOffset + pathLength) : pathOffset + pathLength;
            a = new byte[to - from];
            buf.getBytes(from, a);
            shift = -from;
        }
        return match(a, address, hostOffset + shift, byHost ? hostLength : -1, pathOffset + shift, pathLength);
    }

    private static void checkRange(ByteBuf buf, int offset, int length) {
        if (length > 0) {
            buf.getByte(offset);
            buf.getByte(offset + length - 1);
        } else if (length == 0 && (offset < 0 || offset > buf.capacity())) {
            throw new IndexOutOfBoundsException("offset: " + offset + " (expected: 0.." + buf.capacity() + ")");
        }
    }

    /** {@link #match(ByteBuf, int, int, int, int)} for strings; {@code host} may be null. Allocates. */
    public T match(String host, String path) {
        byte[] h = host == null ? new byte[0] : host.getBytes(StandardCharsets.UTF_8);
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        byte[] both = Arrays.copyOf(h, h.length + p.length);
        System.arraycopy(p, 0, both, h.length, p.length);
        return match(Unpooled.wrappedBuffer(both), 0, host == null ? -1 : h.length, h.length, p.length);
    }

    /** The bytes are {@code a[index]}, or native memory at {@code address + index} when a is null. */
    @SuppressWarnings("unchecked")
    private T match(byte[] a, long address, int hostIndex, int hostLength, int pathIndex, int pathLength) {
        if (hostLength > 0) {
            int hostEnd = hostEnd(a, address, hostIndex, hostLength);
            int length = hostEnd - hostIndex;
            if (length > 0) {
                PathMatcher exact = exactHost(a, address, hostIndex, length);
                if (exact != null) {
                    Object t = exact.match(a, address, pathIndex, pathLength);
                    if (t != null) {
                        return (T) t;
                    }
                }
                for (int i = 0; i < wildcardSuffixes.length; i++) {
                    byte[] suffix = wildcardSuffixes[i];
                    // Strictly longer: "*.example.com" needs at least one label before ".example.com".
                    if (length > suffix.length && equalsIgnoreCase(suffix, a, address, hostEnd - suffix.length)) {
                        Object t = wildcardMatchers[i].match(a, address, pathIndex, pathLength);
                        if (t != null) {
                            return (T) t;
                        }
                    }
                }
            }
        }
        return anyHost == null ? null : (T) anyHost.match(a, address, pathIndex, pathLength);
    }

    /** Where the host name ends: before a {@code :port}, and before one trailing dot (FQDN form). */
    private static int hostEnd(byte[] a, long address, int offset, int length) {
        int end = offset + length;
        if (byteAt(a, address, offset) == '[') {
            // IPv6 literal: its colons are not a port separator. No route host is an IPv6 literal,
            // so this only has to keep such a host from matching a name by accident.
            for (int i = offset; i < end; i++) {
                if (byteAt(a, address, i) == ']') {
                    return i + 1;
                }
            }
            return end;
        }
        for (int i = end - 1; i >= offset; i--) {
            if (byteAt(a, address, i) == ':') {
                end = i;
                break;
            }
        }
        if (end > offset && byteAt(a, address, end - 1) == '.') {
            end--;
        }
        return end;
    }

    private PathMatcher exactHost(byte[] a, long address, int offset, int length) {
        if (exactHostCount == 0) {
            return null;
        }
        int h = FNV_OFFSET;
        for (int i = 0; i < length; i++) {
            h = (h ^ lower(byteAt(a, address, offset + i))) * FNV_PRIME;
        }
        int mask = hostKeys.length - 1;
        for (int slot = spread(h) & mask; ; slot = (slot + 1) & mask) {
            byte[] key = hostKeys[slot];
            if (key == null) {
                return null;
            }
            if (key.length == length && equalsIgnoreCase(key, a, address, offset)) {
                return hostMatchers[slot];
            }
        }
    }

    /** {@code lowerKey} is already lowercase; the request's bytes are folded as they are read. */
    private static boolean equalsIgnoreCase(byte[] lowerKey, byte[] a, long address, int offset) {
        for (int i = 0; i < lowerKey.length; i++) {
            if (lowerKey[i] != lower(byteAt(a, address, offset + i))) {
                return false;
            }
        }
        return true;
    }

    private static byte byteAt(byte[] a, long address, int index) {
        return PathMatcher.byteAt(a, address, index);
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }

    private static int hostHash(byte[] lowerKey) {
        int h = FNV_OFFSET;
        for (byte b : lowerKey) {
            h = (h ^ b) * FNV_PRIME;
        }
        return h;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    /** Collects one host group's routes in config order before they are compiled. */
    private static final class GroupBuilder {
        final List<String> exactPaths = new ArrayList<>();
        final List<Object> exactTargets = new ArrayList<>();
        final List<String> prefixes = new ArrayList<>();
        final List<Object> prefixTargets = new ArrayList<>();

        boolean isEmpty() {
            return exactPaths.isEmpty() && prefixes.isEmpty();
        }

        PathMatcher build() {
            return new PathMatcher(exactPaths, exactTargets, prefixes, prefixTargets);
        }
    }
}
