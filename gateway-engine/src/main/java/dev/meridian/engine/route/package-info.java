/** The compiled route table and its matchers. */
package dev.meridian.engine.route;
