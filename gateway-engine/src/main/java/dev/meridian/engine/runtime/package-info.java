/** Compiles specs into runtime objects off the event loop and holds the current runtime snapshot in one atomic reference. */
package dev.meridian.engine.runtime;
