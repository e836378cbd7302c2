/** Counter benchmarks: the engine's LongAdder counters against a Micrometer Counter. */
package dev.meridian.bench.observe;
