/** Per-cluster circuit breakers: lock-free limits on connections, pending requests, requests and retries. */
package dev.meridian.engine.cluster.breaker;
