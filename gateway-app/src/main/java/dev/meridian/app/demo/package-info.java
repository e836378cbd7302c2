/** The {@code demo} profile: two local origins and the reference config, so Meridian can be tried with one command. */
package dev.meridian.app.demo;
