package dev.meridian.engine.filter;

import dev.meridian.engine.codec.HttpHead;
import io.netty.buffer.ByteBuf;
import io.netty.util.AsciiString;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.internal.PlatformDependent;

/**
 * Direct access to the bytes of one message head while filters read it: the heap array, or the
 * native memory address, found once per message instead of {@code ByteBuf.getByte} per byte (on
 * a derived buffer that checks bounds and the reference count every time; as {@code RouteTable}
 * does). A buffer with neither (composite), or native memory on a platform without unaligned
 * loads, is copied once into a scratch array kept for reuse. Comparisons go eight bytes at a
 * time ({@link AsciiWords}).
 *
 * <p>Bound lazily, at a filter's first byte read, so a chain that reads nothing pays nothing.
 */
final class HeadBytes {

    private static final boolean UNALIGNED = PlatformDependent.isUnaligned();

    private HttpHead head;
    private boolean bound;
    /** The head's bytes from {@link #shift}; null when they are read at {@link #address}. */
    private byte[] array;
    private int shift;
    private long address;
    private byte[] scratch;

    /** Reads {@code head} from now on (bound at the first read); null forgets the last head and its bytes. */
    void reset(HttpHead head) {
        this.head = head;
        this.bound = false;
        if (head == null) {
            this.array = null; // drop the last head's array; a new head needs no store, bind() writes it
        }
    }

    /** Index of the first field of {@code head} named {@code name} (any case), or -1. */
    int find(AsciiString name) {
        if (!bound) {
            bind();
        }
        // One loop per kind of memory, so that the loop a head's buffer takes stays small enough
        // for the JIT to inline into the filter that reads (the other is never run there).
        byte[] a = array;
        return a != null ? findIn(a, name) : findAtAddress(name);
    }

    private int findIn(byte[] a, AsciiString name) {
        HttpHead h = head;
        int len = name.length();
        byte[] n = name.array();
        int from = name.arrayOffset();
        int at = shift;
        for (int i = 0, count = h.headerCount(); i < count; i++) {
            // Lengths first: a name of another length costs one int compare.
            if (h.nameLength(i) == len && AsciiWords.equalsIgnoreCase(a, at + h.nameOffset(i), n, from, len)) {
                return i;
            }
        }
        return -1;
    }

    private int findAtAddress(AsciiString name) {
        HttpHead h = head;
        int len = name.length();
        byte[] n = name.array();
        int from = name.arrayOffset();
        long at = address;
        for (int i = 0, count = h.headerCount(); i < count; i++) {
            if (h.nameLength(i) == len && AsciiWords.equalsIgnoreCase(at + h.nameOffset(i), n, from, len)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether the bytes at {@code offset} start with {@code expected} (exact case); the caller checks the length. */
    boolean regionEquals(int offset, AsciiString expected) {
        if (!bound) {
            bind();
        }
        byte[] a = array;
        return a != null
                ? AsciiWords.equals(a, shift + offset, expected.array(), expected.arrayOffset(), expected.length())
                : AsciiWords.equals(address + offset, expected.array(), expected.arrayOffset(), expected.length());
    }

    private void bind() {
        ByteBuf buf = head.buffer();
        if (buf.refCnt() == 0) {
            // Netty's liveness check, once for the whole head (offsets are within capacity by construction).
            throw new IllegalReferenceCountException(0);
        }
        if (buf.hasArray()) {
            array = buf.array();
            shift = buf.arrayOffset();
        } else if (UNALIGNED && buf.hasMemoryAddress()) {
            array = null;
            address = buf.memoryAddress();
        } else {
            int n = buf.capacity();
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
