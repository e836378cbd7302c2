/** Load-balancer pick and Maglev table-build benchmarks, each against the cheapest possible array-index anchor. */
package dev.meridian.bench.cluster.lb;
