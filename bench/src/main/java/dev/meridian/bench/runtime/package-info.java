/** Snapshot-read benchmarks against AtomicReference.get(). */
package dev.meridian.bench.runtime;
