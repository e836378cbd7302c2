/** Accepts downstream connections on reactor-netty TCP servers and installs Meridian's own pipeline. */
package dev.meridian.engine.listener;
