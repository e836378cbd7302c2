/** Load balancers that pick an endpoint of a cluster. */
package dev.meridian.engine.cluster.lb;
