/** Runs the engine inside the Spring lifecycle from a config file, and reports startup failures plainly. */
package dev.meridian.app.engine;
