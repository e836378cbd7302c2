/** One upstream attempt: pooled connections to endpoints, owned by the event loop that uses them. */
package dev.meridian.engine.upstream;
