/** Resilience benchmarks; for now only the resilience4j anchors that Meridian's breaker and token bucket will be measured against. */
package dev.meridian.bench.resilience;
