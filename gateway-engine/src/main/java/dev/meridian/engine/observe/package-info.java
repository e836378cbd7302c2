/** Cheap indexed counters that the control plane reads; the hot path never calls a meter registry. */
package dev.meridian.engine.observe;
