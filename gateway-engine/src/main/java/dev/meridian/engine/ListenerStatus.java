package dev.meridian.engine;

import java.net.InetSocketAddress;

/**
 * What the engine reports of one data-plane listener, for readiness probes and the dashboard.
 *
 * @param name         the listener's configured name
 * @param address      the configured {@code host:port}
 * @param boundAddress the bound socket address (the real port when the config says 0), or null
 * @param bound        whether the listener accepts connections
 */
public record ListenerStatus(String name, String address, InetSocketAddress boundAddress, boolean bound) {
}
