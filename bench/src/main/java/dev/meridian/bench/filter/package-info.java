/** Filter-chain and filter-metadata benchmarks against a list-and-hash-map chain and {@code HashMap} lookups. */
package dev.meridian.bench.filter;
