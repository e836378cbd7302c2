/** The per-connection handler and the per-request exchange; the one place that maps a failure to a status code. */
package dev.meridian.engine.proxy;
