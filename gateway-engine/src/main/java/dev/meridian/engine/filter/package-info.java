/** The filter SPI ({@code HttpFilter}, results {@code CONTINUE}/{@code RESPONDED}/{@code PENDING}), its runtime and the built-in filters. */
package dev.meridian.engine.filter;
