package dev.meridian.engine.proxy;

import dev.meridian.engine.limit.LoopClock;
import dev.meridian.engine.observe.ProxyStats;
import dev.meridian.engine.runtime.RuntimeSnapshot;
import dev.meridian.engine.runtime.SnapshotHolder;
import dev.meridian.engine.upstream.LoopPools;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every downstream connection of one engine shares: the current snapshot, the stats, the
 * upstream pools of each event loop, and the set of open connections that a drain must reach.
 */
public final class ProxyContext {

    private final SnapshotHolder snapshots;
    private final ProxyStats stats;
    private final int loopCount;
    private final ConcurrentHashMap<EventLoop, LoopPools> pools = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<EventLoop, LoopClock> clocks = new ConcurrentHashMap<>();
    private final ChannelGroup connections = new DefaultChannelGroup("meridian-downstream",
            GlobalEventExecutor.INSTANCE);
    private volatile boolean draining;

    public ProxyContext(SnapshotHolder snapshots, ProxyStats stats, int loopCount) {
        this.snapshots = snapshots;
        this.stats = stats;
        this.loopCount = loopCount;
    }

    RuntimeSnapshot snapshot() {
        return snapshots.get();
    }

    public ProxyStats stats() {
        return stats;
    }

    /** The pools of the event loop {@code ch} lives on; looked up once per connection. */
    LoopPools poolsFor(Channel ch) {
        EventLoop loop = ch.eventLoop();
        LoopPools p = pools.get(loop);
        if (p == null) {
            Class<? extends Channel> type = ch instanceof EpollSocketChannel
                    ? EpollSocketChannel.class : NioSocketChannel.class;
            p = pools.computeIfAbsent(loop, l -> new LoopPools(l, type, loopCount, stats));
        }
        return p;
    }

    /** The coarse clock of the event loop {@code ch} lives on; looked up once per connection. */
    LoopClock clockFor(Channel ch) {
        EventLoop loop = ch.eventLoop();
        LoopClock c = clocks.get(loop);
        return c != null ? c : clocks.computeIfAbsent(loop, LoopClock::new);
    }

    void register(Channel ch) {
        connections.add(ch);
    }

    boolean draining() {
        return draining;
    }

    /** Asks every connection to close once its request in flight is answered; idle ones close now. */
    public void drain() {
        draining = true;
        for (Channel ch : connections) {
            ProxyConnectionHandler h = ch.pipeline().get(ProxyConnectionHandler.class);
            if (h != null) {
                ch.eventLoop().execute(h::drain);
            }
        }
    }

    /** Open downstream connections right now. */
    public int openConnections() {
        return connections.size();
    }

    /** Closes every remaining downstream connection and every pooled upstream connection. */
    public void closeAll() {
        connections.close().awaitUninterruptibly();
        for (LoopPools p : pools.values()) {
            p.eventLoop().execute(p::shutdown);
        }
    }
}
