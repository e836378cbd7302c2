/** Helpers that are not API. */
package dev.meridian.engine.internal;
