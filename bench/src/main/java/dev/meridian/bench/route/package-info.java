/** Route-table compile and match benchmarks against a naive HashMap lookup of the path string. */
package dev.meridian.bench.route;
