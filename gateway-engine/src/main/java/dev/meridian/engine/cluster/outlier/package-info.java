/** Passive health: ejects endpoints whose responses and connections keep failing, for a growing time. */
package dev.meridian.engine.cluster.outlier;
