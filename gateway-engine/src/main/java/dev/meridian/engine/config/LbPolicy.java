package dev.meridian.engine.config;

/** The load-balancing policies a cluster may name in {@code lb_policy}. */
public enum LbPolicy {
    ROUND_ROBIN("round_robin"),
    LEAST_REQUEST("least_request"),
    RANDOM("random"),
    MAGLEV("maglev");

    private final String key;

    LbPolicy(String key) {
        this.key = key;
    }

    /** The name used in config files, the admin API and the dashboard. */
    public String key() {
        return key;
    }

    /** The policy named {@code key}, or {@code null} when there is none. */
    public static LbPolicy fromKey(String key) {
        for (LbPolicy p : values()) {
            if (p.key.equals(key)) {
                return p;
            }
        }
        return null;
    }
}
