package dev.meridian.engine.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP/1.1 origin for integration tests, built on Netty's own codec (an independent
 * implementation, so our codec is checked against someone else's). It records what it received
 * and counts connections. Paths:
 * <ul>
 *   <li>{@code /slow?ms=N} — answers after N ms</li>
 *   <li>{@code /download?bytes=N} — streams N bytes (pattern {@code i % 251}) with backpressure</li>
 *   <li>{@code /chunked} — a chunked response of three chunks and a trailer</li>
 *   <li>{@code /close-delimited} — HTTP/1.0-style body ended by closing the connection</li>
 *   <li>{@code /echo} — streams the request body back, chunked</li>
 *   <li>anything else — reads the whole body and answers {@code <name> <method> <uri> <bytes> <sha256>}</li>
 * </ul>
 */
public final class TestOrigin implements AutoCloseable {

    /** One request as the origin saw it. */
    public record Received(String method, String uri, Map<String, List<String>> headers, long bodyBytes,
                           String bodySha256, String trailer) {
        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase());
            return v == null ? null : v.get(0);
        }
    }

    private final String name;
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel server;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger openConnections = new AtomicInteger();
    public final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    /** Delay before every default-path answer: a slow endpoint. */
    private volatile long delayMs;
    /** When not 0, every default-path answer has this status: a failing endpoint. */
    private volatile int status;

    private TestOrigin(String name, int port) throws InterruptedException {
        this.name = name;
        this.server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.incrementAndGet();
                        openConnections.incrementAndGet();
                        ch.closeFuture().addListener(f -> openConnections.decrementAndGet());
                        ch.pipeline().addLast(new HttpServerCodec(), new Handler());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
    }

    /** Makes every default-path answer wait {@code ms} (0: answer at once). */
    public TestOrigin delay(long ms) {
        this.delayMs = ms;
        return this;
    }

    /** Makes every default-path answer carry {@code code} (0: 200 again). */
    public TestOrigin status(int code) {
        this.status = code;
        return this;
    }

    public static TestOrigin start(String name) throws InterruptedException {
        return new TestOrigin(name, 0);
    }

    public static TestOrigin start(String name, int port) throws InterruptedException {
        return new TestOrigin(name, port);
    }

    public String name() {
        return name;
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    public String address() {
        return "127.0.0.1:" + port();
    }

    /** Connections accepted since start. */
    public int connections() {
        return connections.get();
    }

    public int openConnections() {
        return openConnections.get();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Handler extends SimpleChannelInboundHandler<HttpObject> {
        private HttpRequest request;
        private MessageDigest digest;
        private long bytes;
        private boolean echo;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) throws Exception {
            if (msg instanceof HttpRequest r) {
                request = r;
                digest = MessageDigest.getInstance("SHA-256");
                bytes = 0;
                echo = new QueryStringDecoder(r.uri()).path().equals("/echo");
                if (echo) {
                    DefaultHttpResponse resp = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    HttpUtil.setTransferEncodingChunked(resp, true);
                    ctx.writeAndFlush(resp);
                }
            }
            if (msg instanceof HttpContent c) {
                ByteBuf content = c.content();
                bytes += content.readableBytes();
                if (echo) {
                    if (content.isReadable()) {
                        ctx.write(new DefaultHttpContent(content.retain()));
                    }
                } else {
                    digest.update(content.nioBuffer());
                }
                if (c instanceof LastHttpContent last) {
                    String trailer = last.trailingHeaders().get("x-trailer");
                    received.add(new Received(request.method().name(), request.uri(), headers(request), bytes,
                            echo ? "" : HexFormat.of().formatHex(digest.digest()), trailer));
                    if (echo) {
                        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                    } else {
                        respond(ctx, request);
                    }
                } else if (echo && !ctx.channel().isWritable()) {
                    ctx.flush();
                }
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        private Map<String, List<String>> headers(HttpRequest r) {
            Map<String, List<String>> m = new java.util.LinkedHashMap<>();
            r.headers().forEach(e -> m.computeIfAbsent(e.getKey().toLowerCase(), k -> new java.util.ArrayList<>())
                    .add(e.getValue()));
            return m;
        }

        private void respond(ChannelHandlerContext ctx, HttpRequest r) {
            QueryStringDecoder q = new QueryStringDecoder(r.uri());
            switch (q.path()) {
                case "/slow" -> {
                    long ms = Long.parseLong(q.parameters().get("ms").get(0));
                    ctx.executor().schedule(() -> sendText(ctx, r, "slow " + name), ms, TimeUnit.MILLISECONDS);
                }
                case "/download" -> download(ctx, Long.parseLong(q.parameters().get("bytes").get(0)));
                case "/chunked" -> {
                    DefaultHttpResponse resp = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    HttpUtil.setTransferEncodingChunked(resp, true);
                    ctx.write(resp);
                    ctx.write(new DefaultHttpContent(Unpooled.copiedBuffer("alpha-", StandardCharsets.US_ASCII)));
                    ctx.write(new DefaultHttpContent(Unpooled.copiedBuffer("beta-", StandardCharsets.US_ASCII)));
                    ctx.write(new DefaultHttpContent(Unpooled.copiedBuffer("gamma", StandardCharsets.US_ASCII)));
                    DefaultLastHttpContent last = new DefaultLastHttpContent();
                    last.trailingHeaders().set("x-checksum", "abc123");
                    ctx.writeAndFlush(last);
                }
                case "/close-delimited" -> {
                    DefaultHttpResponse resp = new DefaultHttpResponse(HttpVersion.HTTP_1_0, HttpResponseStatus.OK);
                    ctx.write(resp);
                    ctx.writeAndFlush(new DefaultLastHttpContent(
                            Unpooled.copiedBuffer("until-close", StandardCharsets.US_ASCII)))
                            .addListener(ChannelFutureListener.CLOSE);
                }
                default -> {
                    String text = name + " " + r.method() + " " + r.uri() + " " + bytes + " "
                            + HexFormat.of().formatHex(digest.digest());
                    long d = delayMs;
                    if (d > 0) {
                        ctx.executor().schedule(() -> sendText(ctx, r, text), d, TimeUnit.MILLISECONDS);
                    } else {
                        sendText(ctx, r, text);
                    }
                }
            }
        }

        private void sendText(ChannelHandlerContext ctx, HttpRequest r, String text) {
            int code = status;
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    code == 0 ? HttpResponseStatus.OK : HttpResponseStatus.valueOf(code),
                    Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, resp.content().readableBytes());
            resp.headers().set("X-Origin", name);
            resp.headers().set(HttpHeaderNames.CONNECTION, "keep-alive, X-Hop");
            resp.headers().set("X-Hop", "must-not-pass");
            resp.headers().set("Keep-Alive", "timeout=60");
            if (!HttpUtil.isKeepAlive(r)) {
                resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.writeAndFlush(resp);
            }
        }

        private void download(ChannelHandlerContext ctx, long total) {
            DefaultHttpResponse resp = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            HttpUtil.setContentLength(resp, total);
            ctx.writeAndFlush(resp);
            new Object() {
                long sent;

                void pump() {
                    while (sent < total && ctx.channel().isWritable()) {
                        int n = (int) Math.min(64 * 1024, total - sent);
                        ByteBuf b = ctx.alloc().buffer(n);
                        for (int i = 0; i < n; i++) {
                            b.writeByte((int) ((sent + i) % 251));
                        }
                        sent += n;
                        ctx.writeAndFlush(new DefaultHttpContent(b));
                    }
                    if (sent >= total) {
                        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                        return;
                    }
                    ctx.channel().eventLoop().schedule(this::pump, 1, TimeUnit.MILLISECONDS);
                }
            }.pump();
        }
    }
}
