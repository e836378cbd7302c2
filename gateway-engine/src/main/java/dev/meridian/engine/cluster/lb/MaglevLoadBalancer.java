package dev.meridian.engine.cluster.lb;

import dev.meridian.engine.cluster.Endpoint;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Maglev consistent hashing (Eisenbud et al., NSDI 2016): requests with the same hash go to the
 * same endpoint, and adding or removing one of N endpoints moves only about 1/N of the keys.
 *
 * <p>Each endpoint gets a permutation of the table slots from two xxHash64s of its address
 * ({@code offset} with seed 0, {@code skip} with seed 1, as Envoy does); endpoints take turns
 * claiming their next free slot until the table is full. Weights are honoured by weighted
 * population, Envoy's approach: an endpoint of weight {@code w} takes a turn in {@code w} of every
 * {@code maxWeight} rounds, so it ends up owning about {@code w / sum(w)} of the table. Because
 * the permutation depends only on the address, every gateway instance builds the same table.
 *
 * <p>A pick mixes the caller's hash with {@link Hashing#mix64} and maps it onto the table with a
 * multiply-shift (Lemire's fast range reduction) rather than {@code %}. If the endpoint there is
 * unavailable (or avoided by a retry), up to N further slots are probed by re-mixing the hash, so
 * each key still lands deterministically and the load of a down endpoint spreads by weight over
 * the others; after that a linear scan. In panic the original choice stands even when it is
 * unavailable, keeping affinity.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>constant</th><th>value</th><th>why</th></tr>
 *   <tr><td>DEFAULT_TABLE_SIZE</td><td>65537</td><td>prime (the permutations need it) and Envoy's
 *       default; keeps disruption near 1/N up to a few hundred endpoints</td></tr>
 * </table>
 */
final class MaglevLoadBalancer implements LoadBalancer {

    /** Table size used by {@link LoadBalancer#maglev}; must be prime. */
    static final int DEFAULT_TABLE_SIZE = 65537;

    private final List<Endpoint> list;
    private final Endpoint[] endpoints;
    private final int[] table;
    private final Eligibility eligibility;

    MaglevLoadBalancer(List<Endpoint> endpoints, int tableSize) {
        this(endpoints, tableSize, LoadBalancer.DEFAULT_PANIC_THRESHOLD_PERCENT);
    }

    MaglevLoadBalancer(List<Endpoint> endpoints, int tableSize, int panicThresholdPercent) {
        this.list = List.copyOf(endpoints);
        this.endpoints = list.toArray(new Endpoint[0]);
        if (this.endpoints.length > tableSize) {
            throw new IllegalArgumentException("endpoints: " + this.endpoints.length
                    + " (expected: at most the Maglev table size " + tableSize + ")");
        }
        this.table = this.endpoints.length == 0 ? new int[0] : build(this.endpoints, tableSize);
        this.eligibility = new Eligibility(this.endpoints, panicThresholdPercent);
    }

    @Override
    public Endpoint pick(long hash, Endpoint avoid) {
        int n = endpoints.length;
        if (n == 0) {
            return null;
        }
        long h = Hashing.mix64(hash);
        int first = table[slot(h)];
        Endpoint e = endpoints[first];
        if (e != avoid && e.available()) {
            return e;
        }
        boolean panic = eligibility.panic();
        if (Eligibility.eligible(e, avoid, panic)) {
            return e;
        }
        for (int attempt = 0; attempt < n; attempt++) {
            h = Hashing.mix64(h + attempt + 1);
            Endpoint candidate = endpoints[table[slot(h)]];
            if (Eligibility.eligible(candidate, avoid, panic)) {
                return candidate;
            }
        }
        return eligibility.fallback(first, avoid, panic);
    }

    @Override
    public boolean panic() {
        return endpoints.length > 0 && eligibility.panic();
    }

    @Override
    public List<Endpoint> endpoints() {
        return list;
    }

    /** How many table slots each endpoint owns, for tests and the admin view. */
    int[] slotCounts() {
        int[] counts = new int[endpoints.length];
        for (int i : table) {
            counts[i]++;
        }
        return counts;
    }

    private int slot(long h) {
        // Top 32 bits times the size, top 32 bits of that: uniform over [0, size) without a division.
        return (int) (((h >>> 32) * table.length) >>> 32);
    }

    private static int[] build(Endpoint[] endpoints, int size) {
        int n = endpoints.length;
        long[] offset = new long[n];
        long[] skip = new long[n];
        long[] next = new long[n];
        long[] target = new long[n];
        int maxWeight = 0;
        for (int i = 0; i < n; i++) {
            byte[] key = endpoints[i].address().getBytes(StandardCharsets.UTF_8);
            offset[i] = Long.remainderUnsigned(Hashing.xxHash64(key, 0), size);
            skip[i] = Long.remainderUnsigned(Hashing.xxHash64(key, 1), size - 1) + 1;
            maxWeight = Math.max(maxWeight, endpoints[i].weight());
        }
        int[] table = new int[size];
        Arrays.fill(table, -1);
        int filled = 0;
        for (long round = 1; filled < size; round++) {
            for (int i = 0; i < n && filled < size; i++) {
                // An endpoint of maxWeight takes a turn every round; one of maxWeight / 3 every third.
                if (round * endpoints[i].weight() < target[i]) {
                    continue;
                }
                target[i] += maxWeight;
                int c = (int) ((offset[i] + skip[i] * next[i]) % size);
                while (table[c] >= 0) {
                    next[i]++;
                    c = (int) ((offset[i] + skip[i] * next[i]) % size);
                }
                table[c] = i;
                next[i]++;
                filled++;
            }
        }
        return table;
    }
}
