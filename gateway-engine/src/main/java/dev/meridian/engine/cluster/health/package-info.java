/** Active health checking: TCP and HTTP probes on the engine's event loops that mark endpoints healthy or not. */
package dev.meridian.engine.cluster.health;
