package dev.meridian.engine.listener;

import dev.meridian.engine.codec.Http1RequestDecoder;
import dev.meridian.engine.config.HostPort;
import dev.meridian.engine.config.ListenerSpec;
import dev.meridian.engine.limit.ConnectionLimiter;
import dev.meridian.engine.limit.RequestRateLimiter;
import dev.meridian.engine.proxy.DownstreamPolicy;
import dev.meridian.engine.proxy.ProxyConnectionHandler;
import dev.meridian.engine.proxy.ProxyContext;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.DisposableServer;
import reactor.netty.NettyPipeline;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpServer;

/**
 * One bound data-plane listener: a reactor-netty {@link TcpServer} whose accepted connections get
 * Meridian's own pipeline ({@link Http1RequestDecoder}, then {@link ProxyConnectionHandler})
 * in place of reactor-netty's reactive bridge, once they pass the listener's connection limits.
 *
 * <p>A connection over {@code max_connections} or {@code max_connections_per_ip} is reset right
 * after accept, before a byte is read or written: answering 503 would first mean reading a request
 * head, which is the very resource a connection flood exhausts, and a reset leaves no TIME_WAIT
 * socket on our side. Clients see a connection reset, which browsers and HTTP libraries retry.
 */
public final class ProxyListener {

    private static final Logger log = LoggerFactory.getLogger(ProxyListener.class);

    /** Pending accepts the kernel may queue; nginx uses 511, Linux caps it at somaxconn. */
    static final int DEFAULT_BACKLOG = 1024;

    private final String name;
    private final String address;
    private final ProxyContext px;
    private final ConnectionLimiter connections;
    private volatile ListenerSpec spec;
    private volatile DownstreamPolicy policy;
    private DisposableServer server;

    private ProxyListener(ListenerSpec spec, ProxyContext px) {
        this.name = spec.name();
        this.address = spec.address();
        this.px = px;
        this.connections = new ConnectionLimiter(spec.maxConnections(), spec.maxConnectionsPerIp());
        this.spec = spec;
        this.policy = DownstreamPolicy.of(spec, rateLimiter(spec.rateLimit(), null));
    }

    /** Binds {@code spec}'s address now (blocking: call off the event loops). */
    public static ProxyListener bind(ListenerSpec spec, LoopResources loops, boolean preferNative, ProxyContext px) {
        HostPort hp = HostPort.parse(spec.address());
        ProxyListener self = new ProxyListener(spec, px);
        self.server = TcpServer.create()
                .runOn(loops, preferNative)
                .bindAddress(() -> new InetSocketAddress(hp.host(), hp.port()))
                .option(ChannelOption.SO_BACKLOG, DEFAULT_BACKLOG)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .doOnChannelInit((observer, channel, remote) -> self.initChannel(channel))
                .bindNow(Duration.ofSeconds(10));
        return self;
    }

    private void initChannel(Channel channel) {
        ChannelPipeline p = channel.pipeline();
        // Our handlers own the connection; reactor-netty's bridge would take auto-read from us.
        if (p.get(NettyPipeline.ReactiveBridge) != null) {
            p.remove(NettyPipeline.ReactiveBridge);
        }
        InetAddress client = channel.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        if (client != null) {
            int verdict = connections.tryAcquire(client);
            if (verdict != ConnectionLimiter.ADMITTED) {
                reject(channel, verdict);
                return;
            }
            channel.closeFuture().addListener(new Permit(connections, client));
        }
        ListenerSpec s = spec;
        Http1RequestDecoder decoder = new Http1RequestDecoder(
                s.maxRequestLineBytes(), s.maxHeaderBytes(), s.maxHeaderCount());
        p.addLast("meridian.decoder", decoder);
        p.addLast("meridian.proxy", new ProxyConnectionHandler(px, decoder, policy));
    }

    private void reject(Channel channel, int verdict) {
        if (verdict == ConnectionLimiter.OVER_TOTAL) {
            px.stats().connectionsRejectedMaxConnections.increment();
        } else {
            px.stats().connectionsRejectedMaxPerIp.increment();
        }
        log.debug("listener {} refused connection from {}: {}", name, channel.remoteAddress(),
                verdict == ConnectionLimiter.OVER_TOTAL ? "max_connections" : "max_connections_per_ip");
        // Linger 0: close with RST, so a connection flood leaves no TIME_WAIT sockets behind.
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
        channel.close();
    }

    /** A rate limiter for {@code limit}, reusing {@code previous} (and its buckets) when it is the same limit. */
    private static RequestRateLimiter rateLimiter(ListenerSpec.RateLimit limit, RequestRateLimiter previous) {
        if (limit == null) {
            return null;
        }
        return RequestRateLimiter.keepOrCreate(previous, limit.requestsPerSecond(), limit.burst());
    }

    public String name() {
        return name;
    }

    /** The configured address; a changed address means a new listener. */
    public String address() {
        return address;
    }

    /**
     * Parse limits, deadlines and the rate limit changed by a reload apply to connections accepted
     * from now on; connection limits apply to the next accept. Open connections keep their count.
     */
    public void update(ListenerSpec newSpec) {
        if (Objects.equals(newSpec, spec)) {
            return;
        }
        connections.setLimits(newSpec.maxConnections(), newSpec.maxConnectionsPerIp());
        policy = DownstreamPolicy.of(newSpec, rateLimiter(newSpec.rateLimit(), policy.rateLimiter()));
        spec = newSpec;
    }

    /** Connections this listener has open now. */
    public int openConnections() {
        return connections.open();
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

    /** Uncounts an admitted connection exactly once: when its channel's close future completes. */
    private record Permit(ConnectionLimiter limiter, InetAddress client) implements ChannelFutureListener {
        @Override
        public void operationComplete(ChannelFuture future) {
            limiter.release(client);
        }
    }
}
