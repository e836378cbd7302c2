package dev.meridian.engine.codec;

import io.netty.buffer.ByteBuf;

/**
 * A {@code byte[]} view of the unread bytes at the start of a decoder's cumulation, so the head and
 * trailer parsers index an array (bounds checks the JIT hoists, eight-byte SWAR loads) instead of
 * calling {@code ByteBuf.getByte} per byte, which on a derived buffer checks bounds and the
 * reference count every time.
 *
 * <p>A heap buffer is viewed in place. Any other buffer (pooled direct, composite) is copied into a
 * scratch array owned by the decoder, and only as far as the parser has asked: bytes copied once
 * stay valid across reads, because the cumulation keeps its unread bytes at the same offsets from
 * its readerIndex (append writes after them; a merge copies them in order), so a head trickling in
 * a byte per read costs O(n) in copies, not O(n²). The owner calls {@link #reset()} whenever it
 * moves the readerIndex. Body bytes that follow a head in the same read are copied at most up to
 * the next window step ({@link #WINDOW} or double the current view), never wholesale.
 *
 * <p>Positions are relative to the readerIndex; {@code array[base + p]} is the byte at {@code p},
 * for {@code p < limit}.
 */
final class HeadView {

    /** The first copy step: a typical request head (~500 B) fits, a 64 KiB body after it does not. */
    static final int WINDOW = 2048;
    /** A scratch array grown past this by one huge head is dropped afterwards, not kept per connection. */
    static final int MAX_KEPT_SCRATCH = 8192;

    byte[] array;
    int base;
    int limit;

    /** The furthest position any line may end at and still pass the owner's size limits. */
    private final int cap;
    private byte[] scratch;
    private int copied;

    HeadView(int cap) {
        this.cap = cap;
    }

    /** Points the view at {@code c}'s unread bytes, copying at most the first window of new bytes. */
    void open(ByteBuf c) {
        if (c.hasArray()) {
            array = c.array();
            base = c.arrayOffset() + c.readerIndex();
            limit = c.readableBytes();
            copied = 0;
            return;
        }
        base = 0;
        if (copied < WINDOW) {
            copyUpTo(c, WINDOW);
        }
        array = scratch;
        limit = copied;
    }

    /**
     * Extends a copied view by one step (at least {@link #WINDOW}, else doubling).
     *
     * @return false when nothing more can be seen: all readable bytes or the cap are in view
     */
    boolean extend(ByteBuf c) {
        int readable = c.readableBytes();
        if (limit >= readable || limit >= cap) {
            return false;
        }
        copyUpTo(c, Math.max(limit + WINDOW, limit << 1));
        array = scratch;
        limit = copied;
        return true;
    }

    private void copyUpTo(ByteBuf c, int want) {
        int end = Math.min(Math.min(want, cap), c.readableBytes());
        if (end <= copied) {
            return;
        }
        if (scratch == null || scratch.length < end) {
            byte[] grown = new byte[Math.max(end, scratch == null ? WINDOW : Math.min(scratch.length << 1, cap))];
            if (copied > 0) {
                System.arraycopy(scratch, 0, grown, 0, copied);
            }
            scratch = grown;
        }
        c.getBytes(c.readerIndex() + copied, scratch, copied, end - copied);
        copied = end;
    }

    /** Whether position {@code p} is in view. */
    boolean covers(int p) {
        return p < limit;
    }

    /** The readerIndex moved: nothing copied so far is at its old position any more. */
    void reset() {
        copied = 0;
        limit = 0;
        if (scratch != null && scratch.length > MAX_KEPT_SCRATCH) {
            scratch = null;
        }
    }
}
