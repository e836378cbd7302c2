package dev.meridian.engine.listener;

import dev.meridian.engine.codec.Http1RequestDecoder;
import dev.meridian.engine.config.ListenerSpec;
import dev.meridian.engine.config.HostPort;
import dev.meridian.engine.proxy.ProxyConnectionHandler;
import dev.meridian.engine.proxy.ProxyContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import java.net.InetSocketAddress;
import java.time.Duration;
import reactor.netty.DisposableServer;
import reactor.netty.NettyPipeline;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpServer;

/**
 * One bound data-plane listener: a reactor-netty {@link TcpServer} whose accepted connections get
 * Meridian's own pipeline ({@link Http1RequestDecoder}, then {@link ProxyConnectionHandler})
 * in place of reactor-netty's reactive bridge.
 */
public final class ProxyListener {

    /** Pending accepts the kernel may queue; nginx uses 511, Linux caps it at somaxconn. */
    static final int DEFAULT_BACKLOG = 1024;

    private final String name;
    private final String address;
    private volatile ListenerSpec spec;
    private final DisposableServer server;

    private ProxyListener(ListenerSpec spec, DisposableServer server) {
        this.name = spec.name();
        this.address = spec.address();
        this.spec = spec;
        this.server = server;
    }

    /** Binds {@code spec}'s address now (blocking: call off the event loops). */
    public static ProxyListener bind(ListenerSpec spec, LoopResources loops, boolean preferNative, ProxyContext px) {
        HostPort hp = HostPort.parse(spec.address());
        ProxyListener[] self = new ProxyListener[1];
        DisposableServer server = TcpServer.create()
                .runOn(loops, preferNative)
                .bindAddress(() -> new InetSocketAddress(hp.host(), hp.port()))
                .option(ChannelOption.SO_BACKLOG, DEFAULT_BACKLOG)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .doOnChannelInit((observer, channel, remote) -> {
                    ChannelPipeline p = channel.pipeline();
                    // Our handlers own the connection; reactor-netty's bridge would take auto-read from us.
                    if (p.get(NettyPipeline.ReactiveBridge) != null) {
                        p.remove(NettyPipeline.ReactiveBridge);
                    }
                    ListenerSpec s = self[0] != null ? self[0].spec : spec;
                    Http1RequestDecoder decoder = new Http1RequestDecoder(
                            s.maxRequestLineBytes(), s.maxHeaderBytes(), s.maxHeaderCount());
                    p.addLast("meridian.decoder", decoder);
                    p.addLast("meridian.proxy", new ProxyConnectionHandler(px, decoder, s.idleTimeoutMs()));
                })
                .bindNow(Duration.ofSeconds(10));
        self[0] = new ProxyListener(spec, server);
        return self[0];
    }

    public String name() {
        return name;
    }

    /** The configured address; a changed address means a new listener. */
    public String address() {
        return address;
    }

    /** Limits changed by a reload apply to connections accepted from now on. */
    public void update(ListenerSpec newSpec) {
        this.spec = newSpec;
    }

    public InetSocketAddress boundAddress() {
        return (InetSocketAddress) server.address();
    }

    public boolean isBound() {
        return !server.isDisposed();
    }

    /** Stops accepting; connections already accepted are not touched. */
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
    }
}
