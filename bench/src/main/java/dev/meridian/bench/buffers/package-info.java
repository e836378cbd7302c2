/** Buffer acquire-and-release benchmarks: Netty's pooled direct allocator against unpooled direct and heap arrays. */
package dev.meridian.bench.buffers;
