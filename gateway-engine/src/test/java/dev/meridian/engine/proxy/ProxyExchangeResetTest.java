package dev.meridian.engine.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meridian.engine.codec.Http1RequestDecoder;
import dev.meridian.engine.filter.FilterExecution;
import dev.meridian.engine.observe.ProxyStats;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connection runs its requests on one {@link ProxyExchange} object: whatever a request left in
 * it must not reach the next one (a route's deadline, "response is chunked", a held breaker unit,
 * "HEAD request"...). This guards {@link ProxyExchange#reset} against a field added later and
 * forgotten there: every per-request field, of the exchange and of its parts ({@link UpstreamAttempts},
 * {@link RequestWriter}, {@link ResponseWriter}), is dirtied, and reset must restore what a new exchange has.
 * The behaviour over real sockets is in {@code ConnectionLifecycleIntegrationTest}.
 */
class ProxyExchangeResetTest {

    private EmbeddedChannel channel;
    private ProxyConnectionHandler conn;
    private ChannelHandlerContext ctx;

    @BeforeEach
    void setUp() {
        channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        ctx = channel.pipeline().firstContext();
        conn = new ProxyConnectionHandler(new ProxyContext(null, new ProxyStats(), 1),
                new Http1RequestDecoder(), new DownstreamPolicy(1, 1, 0, 1, null, "test"));
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Test
    void resetRestoresEveryPerRequestFieldOfANewExchange() throws Exception {
        ProxyExchange fresh = new ProxyExchange(conn, ctx);
        ProxyExchange used = new ProxyExchange(conn, ctx);
        List<Field> perRequest = perRequestFields(ProxyExchange.class);
        List<Field> attemptFields = perRequestFields(UpstreamAttempts.class);
        List<Field> requestFields = perRequestFields(RequestWriter.class);
        List<Field> writerFields = perRequestFields(ResponseWriter.class);
        int found = perRequest.size() + attemptFields.size() + requestFields.size() + writerFields.size();
        assertTrue(found > 30, "per-request fields found: " + found);
        dirtyAll(perRequest, fresh, used);
        dirtyAll(attemptFields, part(fresh, "attempts"), part(used, "attempts"));
        dirtyAll(requestFields, part(fresh, "request"), part(used, "request"));
        dirtyAll(writerFields, part(fresh, "response"), part(used, "response"));

        FilterExecution filters = FilterExecution.create(channel.eventLoop());
        used.reset(null, null, filters);
        fresh.reset(null, null, filters);

        assertAllEqual(perRequest, fresh, used);
        assertAllEqual(attemptFields, part(fresh, "attempts"), part(used, "attempts"));
        assertAllEqual(requestFields, part(fresh, "request"), part(used, "request"));
        assertAllEqual(writerFields, part(fresh, "response"), part(used, "response"));
    }

    private static void dirtyAll(List<Field> fields, Object fresh, Object used) throws Exception {
        for (Field f : fields) {
            dirty(f, used);
            assertNotEquals(f.get(fresh), f.get(used), f.getName() + " could not be dirtied");
        }
    }

    private static void assertAllEqual(List<Field> fields, Object fresh, Object used) throws Exception {
        for (Field f : fields) {
            assertEquals(f.get(fresh), f.get(used), f.getDeclaringClass().getSimpleName() + "." + f.getName()
                    + " survives reset(): a request would see its predecessor's");
        }
    }

    /** The exchange's part held in {@code name} (its attempts, its request or response writer). */
    private static Object part(ProxyExchange exchange, String name) throws Exception {
        Field f = ProxyExchange.class.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(exchange);
    }

    @Test
    void onlyAFinishedExchangeWithNobodyToCallItBackIsReused() throws Exception {
        ProxyExchange exchange = new ProxyExchange(conn, ctx);
        exchange.reset(null, null, FilterExecution.create(channel.eventLoop()));
        assertFalse(exchange.reusable(), "in flight");

        set(exchange, "finished", true);
        assertTrue(exchange.reusable());

        Field abandoned = UpstreamAttempts.class.getDeclaredField("abandonedConnect");
        abandoned.setAccessible(true);
        abandoned.setBoolean(part(exchange, "attempts"), true);
        assertFalse(exchange.reusable(), "a connect begun for it may still call back");
    }

    @Test
    void onlyTheConnectionsStateIsFinalSoEveryOtherFieldIsCheckedAbove() {
        // What belongs to the connection, not to a request: a new final field would escape the
        // reset check above: decide whether it is connection state.
        // The exchange: conn, ctx, alloc, stats, and its parts (attempts, request, response).
        assertEquals(7, finals(ProxyExchange.class), "a new final field of the exchange");
        // The attempts: exchange, request (its writer), conn, ctx, stats. The writers: alloc; conn, ctx.
        assertEquals(5, finals(UpstreamAttempts.class), "a new final field of the attempts");
        assertEquals(1, finals(RequestWriter.class), "a new final field of the request writer");
        assertEquals(2, finals(ResponseWriter.class), "a new final field of the response writer");
    }

    private static int finals(Class<?> type) {
        int finals = 0;
        for (Field f : type.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) && Modifier.isFinal(f.getModifiers())) {
                finals++;
            }
        }
        return finals;
    }

    private static List<Field> perRequestFields(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Field f : type.getDeclaredFields()) {
            int m = f.getModifiers();
            if (!Modifier.isStatic(m) && !Modifier.isFinal(m)) {
                f.setAccessible(true);
                fields.add(f);
            }
        }
        return fields;
    }

    /** Gives {@code f} a value no new exchange has. */
    private static void dirty(Field f, Object target) throws Exception {
        Class<?> t = f.getType();
        if (t == boolean.class) {
            f.setBoolean(target, true);
        } else if (t == int.class) {
            f.setInt(target, 7);
        } else if (t == long.class) {
            f.setLong(target, 7L);
        } else if (t.isArray()) {
            f.set(target, java.lang.reflect.Array.newInstance(t.getComponentType(), 1));
        } else {
            f.set(target, sample(t));
        }
    }

    /** An instance of {@code type} (never read, only compared), made without running its constructor. */
    private static Object sample(Class<?> type) throws Exception {
        if (type == io.netty.buffer.ByteBuf.class) {
            return io.netty.buffer.Unpooled.EMPTY_BUFFER; // abstract: any buffer will do
        }
        if (type.isInterface()) {
            return java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                    (proxy, method, args) -> method.getName().equals("equals") ? proxy == args[0]
                            : method.getName().equals("hashCode") ? System.identityHashCode(proxy) : null);
        }
        Field unsafeField = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
        unsafeField.setAccessible(true);
        Object unsafe = unsafeField.get(null);
        return unsafe.getClass().getMethod("allocateInstance", Class.class).invoke(unsafe, type);
    }

    private static void set(Object target, String name, boolean value) throws Exception {
        Field f = ProxyExchange.class.getDeclaredField(name);
        f.setAccessible(true);
        f.setBoolean(target, value);
    }
}
