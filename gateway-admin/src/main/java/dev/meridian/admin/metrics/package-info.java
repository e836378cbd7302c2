/** Binds the engine's traffic counters to Micrometer, so Actuator serves them at /actuator/prometheus. */
package dev.meridian.admin.metrics;
