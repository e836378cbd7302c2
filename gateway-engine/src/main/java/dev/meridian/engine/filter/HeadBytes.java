package dev.meridian.engine.filter;

import dev.meridian.engine.codec.HttpHead;
import io.netty.buffer.ByteBuf;
import io.netty.util.AsciiString;
import io.netty.util.internal.PlatformDependent;

/**
 * Direct access to the bytes of one message head while filters read it: the heap array, or the
 * native memory address, found once per message instead of {@code ByteBuf.getByte} per byte (on
 * a derived buffer that checks bounds and the reference count every time; as {@code RouteTable}
 * does). A buffer with neither (composite) is copied once into a scratch array kept for reuse.
 *
 * <p>Bound lazily, at a filter's first byte read, so a chain that reads nothing pays nothing.
 */
final class HeadBytes {

    private HttpHead head;
    private boolean bound;
    private byte[] array;
    private long address;
    private int shift;
    private byte[] scratch;

    void reset(HttpHead head) {
        this.head = head;
        this.bound = false;
        this.array = null;
    }

    /** Index of the first field of {@code head} named {@code name} (any case), or -1. */
    int find(AsciiString name) {
        bind();
        HttpHead h = head;
        int len = name.length();
        for (int i = 0, n = h.headerCount(); i < n; i++) {
            if (h.nameLength(i) == len && equalsIgnoreCase(h.nameOffset(i), name)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether the bytes at {@code offset} start with {@code expected} (exact case); the caller checks the length. */
    boolean regionEquals(int offset, AsciiString expected) {
        bind();
        for (int i = 0, n = expected.length(); i < n; i++) {
            if (byteAt(offset + i) != expected.byteAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean equalsIgnoreCase(int offset, AsciiString name) {
        for (int i = 0, n = name.length(); i < n; i++) {
            if (lower(byteAt(offset + i)) != lower(name.byteAt(i))) {
                return false;
            }
        }
        return true;
    }

    private byte byteAt(int index) {
        return array != null ? array[shift + index] : PlatformDependent.getByte(address + index);
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }

    private void bind() {
        if (bound) {
            return;
        }
        ByteBuf buf = head.buffer();
        int n = buf.capacity();
        if (buf.refCnt() == 0) {
            // Netty's liveness check, once for the whole head (offsets are within capacity by construction).
            throw new io.netty.util.IllegalReferenceCountException(0);
        }
        if (buf.hasArray()) {
            array = buf.array();
            shift = buf.arrayOffset();
        } else if (buf.hasMemoryAddress()) {
            array = null;
            address = buf.memoryAddress();
        } else {
            if (scratch == null || scratch.length < n) {
                scratch = new byte[Math.max(n, 1024)];
            }
            buf.getBytes(0, scratch, 0, n);
            array = scratch;
            shift = 0;
        }
        bound = true;
    }
}
