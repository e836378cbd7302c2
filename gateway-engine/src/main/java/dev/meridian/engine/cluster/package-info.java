/** Clusters and endpoints as the runtime sees them. */
package dev.meridian.engine.cluster;
