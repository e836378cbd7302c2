package dev.meridian.engine.codec;

import io.netty.buffer.ByteBuf;

/**
 * Writes the received field lines an encoder keeps: a line already in canonical form
 * ({@code Name: value} CRLF) is copied as received, and a run of consecutive ones with a single
 * copy; any other line (no space after the colon, a tab, trailing whitespace, an empty value) is
 * re-written in canonical form. The origin or client gets the same bytes either way, for fewer
 * copies on the common path (browsers, curl and nginx send canonical lines).
 *
 * <p>Copying is sound because of what the decoder accepted: field lines are contiguous in the
 * head, end in CRLF (bare LF and bare CR were refused, RFC 9112 §2.2) and hold no obs-fold
 * (refused, RFC 9112 §5.2).
 *
 * <p>The pending run travels as a {@code long} ({@code start << 32 | end}, {@link #NONE} for none)
 * so an encoder keeps it in a local: nothing is allocated.
 */
final class FieldLines {

    static final long NONE = -1;

    private static final byte[] COLON_SP = {':', ' '};
    private static final byte[] CRLF = {'\r', '\n'};

    private FieldLines() {
    }

    /**
     * Adds the received field at {@code at} of the head's offsets table {@code t} ({@link
     * HttpHead#fieldTable()}) to the output, now or as part of the run; returns the run. Whether the
     * line is canonical is what the decoder recorded ({@link HeadFields#CANONICAL}), so the line's
     * bytes are not read again here.
     */
    static long keep(ByteBuf out, ByteBuf src, int[] t, int at, long run) {
        int nameOff = t[at];
        int valueOff = t[at + HeadFields.VALUE_OFFSET];
        int valueEnd = valueOff + t[at + HeadFields.VALUE_LENGTH];
        if ((t[at + HeadFields.INFO] & HeadFields.CANONICAL) != 0) {
            if (run != NONE && (int) run == nameOff) {
                return (run & 0xFFFF_FFFF_0000_0000L) | (valueEnd + 2);
            }
            flush(out, src, run);
            return ((long) nameOff << 32) | (valueEnd + 2);
        }
        flush(out, src, run);
        out.writeBytes(src, nameOff, t[at + HeadFields.NAME_LENGTH]);
        out.writeBytes(COLON_SP);
        out.writeBytes(src, valueOff, valueEnd - valueOff);
        out.writeBytes(CRLF);
        return NONE;
    }

    /** Writes the pending run, if any; call before writing anything else and at the end. */
    static void flush(ByteBuf out, ByteBuf src, long run) {
        if (run != NONE) {
            int start = (int) (run >>> 32);
            out.writeBytes(src, start, (int) run - start);
        }
    }
}
