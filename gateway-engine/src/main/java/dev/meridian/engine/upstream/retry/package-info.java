/** Per-route retry policies, their backoff, and the per-route timeouts an upstream attempt runs under. */
package dev.meridian.engine.upstream.retry;
