package dev.meridian.engine.route;

import io.netty.util.internal.PlatformDependent;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The routes of one host group, matched against a request path: an exact {@code path} beats any
 * {@code prefix}, and the longest prefix wins.
 *
 * <p>Both kinds live in open-addressing tables keyed by an FNV-1a hash of their bytes. FNV-1a
 * extends byte by byte, so one pass over the request path yields the hash of every prefix of it:
 * at each length that some configured prefix has, probe the table; the last hit is the longest.
 * The pass then ends with the hash of the whole path for the exact table. A match therefore costs
 * one pass over at most the path and a few probes, whatever the number of routes, and allocates
 * nothing.
 */
final class PathMatcher {

    private static final int FNV_OFFSET = 0x811C9DC5;
    private static final int FNV_PRIME = 0x01000193;

    private final byte[][] exactKeys;
    private final Object[] exactTargets;
    private final int exactCount;
    private final byte[][] prefixKeys;
    private final Object[] prefixTargets;
    /** {@code prefixLengths[L]} is true when some prefix is L bytes long. */
    private final boolean[] prefixLengths;

    PathMatcher(List<String> exactPaths, List<Object> exactTargets, List<String> prefixes, List<Object> prefixTargets) {
        this.exactCount = exactPaths.size();
        this.exactKeys = new byte[capacity(exactPaths.size())][];
        this.exactTargets = new Object[exactKeys.length];
        for (int i = 0; i < exactPaths.size(); i++) {
            put(exactKeys, this.exactTargets, exactPaths.get(i).getBytes(StandardCharsets.UTF_8), exactTargets.get(i));
        }
        this.prefixKeys = new byte[capacity(prefixes.size())][];
        this.prefixTargets = new Object[prefixKeys.length];
        int maxLength = 0;
        for (String p : prefixes) {
            maxLength = Math.max(maxLength, p.getBytes(StandardCharsets.UTF_8).length);
        }
        this.prefixLengths = new boolean[maxLength + 1];
        for (int i = 0; i < prefixes.size(); i++) {
            byte[] key = prefixes.get(i).getBytes(StandardCharsets.UTF_8);
            put(prefixKeys, this.prefixTargets, key, prefixTargets.get(i));
            prefixLengths[key.length] = true;
        }
    }

    /**
     * The target of the best route for the path bytes, or null. The bytes are {@code a[offset..]}
     * when {@code a} is not null, else native memory at {@code address + offset}; the caller has
     * checked the range (see {@link RouteTable#match(io.netty.buffer.ByteBuf, int, int, int, int)}).
     */
    Object match(byte[] a, long address, int offset, int length) {
        int maxPrefix = prefixLengths.length - 1;
        int scan = exactCount > 0 ? length : Math.min(length, maxPrefix);
        Object best = null;
        int h = FNV_OFFSET;
        for (int i = 0; i < scan; i++) {
            h = (h ^ (byteAt(a, address, offset + i) & 0xFF)) * FNV_PRIME;
            int len = i + 1;
            if (len <= maxPrefix && prefixLengths[len]) {
                Object t = probe(prefixKeys, prefixTargets, h, a, address, offset, len);
                if (t != null) {
                    best = t;
                }
            }
        }
        if (exactCount > 0) {
            Object exact = probe(exactKeys, exactTargets, h, a, address, offset, length);
            if (exact != null) {
                return exact;
            }
        }
        return best;
    }

    /**
     * One byte of a request head: from the heap array, or from native memory. The branch is on a
     * loop-invariant, so the JIT splits each loop into a heap and a direct copy (loop unswitching)
     * instead of testing it per byte.
     */
    static byte byteAt(byte[] a, long address, int index) {
        return a != null ? a[index] : PlatformDependent.getByte(address + index);
    }

    private static Object probe(byte[][] keys, Object[] targets, int hash, byte[] a, long address, int offset, int length) {
        int mask = keys.length - 1;
        for (int slot = spread(hash) & mask; ; slot = (slot + 1) & mask) {
            byte[] key = keys[slot];
            if (key == null) {
                return null;
            }
            if (key.length == length && equalBytes(key, a, address, offset)) {
                return targets[slot];
            }
        }
    }

    private static boolean equalBytes(byte[] key, byte[] a, long address, int offset) {
        for (int i = 0; i < key.length; i++) {
            if (key[i] != byteAt(a, address, offset + i)) {
                return false;
            }
        }
        return true;
    }

    /** Inserts unless the key is present: the first route with a given match wins. */
    private static void put(byte[][] keys, Object[] targets, byte[] key, Object target) {
        int h = FNV_OFFSET;
        for (byte b : key) {
            h = (h ^ (b & 0xFF)) * FNV_PRIME;
        }
        int mask = keys.length - 1;
        int slot = spread(h) & mask;
        while (keys[slot] != null) {
            if (java.util.Arrays.equals(keys[slot], key)) {
                return;
            }
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        targets[slot] = target;
    }

    /** FNV's low bits are weak for short keys; fold the high bits in before masking. */
    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    /** A power of two at least twice the entry count, so probes stay short and one slot is always empty. */
    private static int capacity(int entries) {
        return Integer.highestOneBit(Math.max(2, entries * 2 - 1)) << 1;
    }
}
