/** Meridian's own HTTP/1.1 request and response decoders and encoders over pooled buffers. */
package dev.meridian.engine.codec;
