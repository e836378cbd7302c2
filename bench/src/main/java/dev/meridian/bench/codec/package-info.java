/** HTTP/1.1 request decoding benchmarks: Meridian's decoder against Netty's HttpRequestDecoder in the same harness. */
package dev.meridian.bench.codec;
