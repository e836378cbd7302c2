package dev.meridian.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Helpers that push bytes through an {@link EmbeddedChannel} and collect what the decoder fired. */
final class CodecTestSupport {

    private CodecTestSupport() {
    }

    /** A pooled direct buffer holding {@code s}, like the buffers a socket read produces. */
    static ByteBuf bytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return PooledByteBufAllocator.DEFAULT.directBuffer(b.length).writeBytes(b);
    }

    static String string(ByteBuf buf) {
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    /** Writes {@code s} one byte per read. */
    static void writeByteByByte(EmbeddedChannel ch, String s) {
        for (int i = 0; i < s.length(); i++) {
            ch.writeInbound(bytes(s.substring(i, i + 1)));
        }
    }

    /** All messages fired so far, in order. */
    static List<Object> drain(EmbeddedChannel ch) {
        List<Object> out = new ArrayList<>();
        for (Object m; (m = ch.readInbound()) != null; ) {
            out.add(m);
        }
        return out;
    }

    static void releaseAll(List<Object> messages) {
        for (Object m : messages) {
            ReferenceCountUtil.release(m);
        }
    }

    /**
     * What a peer would reassemble from a message stream: every ByteBuf concatenated (and released);
     * asserts each one is non-empty, as the decoder promises.
     */
    static String body(List<Object> messages) {
        StringBuilder sb = new StringBuilder();
        for (Object m : messages) {
            if (m instanceof ByteBuf b) {
                assertThat(b.isReadable()).as("body buffers are never empty").isTrue();
                sb.append(string(b));
                b.release();
            }
        }
        return sb.toString();
    }

    /** Drains the channel, releases every message and returns the {@link #shape} of what it fired. */
    static List<String> drainShape(EmbeddedChannel ch) {
        List<Object> out = drain(ch);
        List<String> shape = shape(out);
        releaseAll(out);
        return shape;
    }

    /** The message types in order, with body buffers folded into one "body" entry per run. */
    static List<String> shape(List<Object> messages) {
        List<String> out = new ArrayList<>();
        for (Object m : messages) {
            String name = m instanceof ByteBuf ? "body" : m.getClass().getSimpleName();
            if (name.equals("body") && !out.isEmpty() && out.get(out.size() - 1).equals("body")) {
                continue;
            }
            out.add(name);
        }
        return out;
    }
}
