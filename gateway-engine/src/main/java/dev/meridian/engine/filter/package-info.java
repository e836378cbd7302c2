/** The filter SPI and the built-in filters. */
package dev.meridian.engine.filter;
