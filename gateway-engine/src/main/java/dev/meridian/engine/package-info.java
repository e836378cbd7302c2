/** The engine's entry point: start, apply a snapshot, drain and stop. */
package dev.meridian.engine;
