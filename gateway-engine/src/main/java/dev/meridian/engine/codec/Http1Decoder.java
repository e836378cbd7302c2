package dev.meridian.engine.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ByteProcessor;

/**
 * The HTTP/1.1 framing state machine the request and response decoders share: cumulation, line
 * scanning, field-line syntax, and the fixed-length, chunked and close-delimited body states.
 *
 * <p>Input is parsed in place. A head becomes the received bytes (the read buffer itself when it
 * holds exactly the head, else a retained slice) plus offsets; body data leaves as retained slices. Line scanning resumes where the previous read stopped, so
 * bytes that trickle in one at a time cost O(n) in total, and every size limit is enforced on the
 * partial line as well (slowloris and memory exhaustion).
 *
 * <p>Bad input never throws: the decoder emits one {@link HttpDecodeError}, enters state BAD and
 * drops every later byte.
 *
 * <p>Messages are fired as soon as they are complete. The state is always updated before a message
 * is fired, so a handler may call back into the decoder ({@code resume()}, {@code expectResponse()})
 * from inside {@code channelRead}.
 */
abstract class Http1Decoder extends ChannelInboundHandlerAdapter {

    /** Reading a start line and field lines. */
    static final int HEAD = 0;
    static final int FIXED_BODY = 1;
    static final int CHUNK_SIZE = 2;
    static final int CHUNK_DATA = 3;
    static final int CHUNK_DATA_END = 4;
    static final int TRAILERS = 5;
    static final int CLOSE_DELIMITED_BODY = 6;
    /** Body complete; {@link HttpBodyEnd#EMPTY} is fired next. */
    static final int END = 7;
    /** Between messages: the request decoder is paused; the response decoder expects nothing. */
    static final int IDLE = 8;
    static final int BAD = 9;

    private static final int NEED_MORE = -1;
    private static final int BARE_LF_FOUND = -2;

    /** {@link #windowed()} stopped at a line longer than its window. */
    private static final int LINE_TOO_LONG = -3;
    /** Words of head bytes {@link #fastFieldLines()} classifies at once (512 bytes). */
    static final int WINDOW_WORDS = 64;

    /** Hex digits in a chunk size before it is rejected: 16 hex digits fill a long. */
    private static final int MAX_CHUNK_SIZE_DIGITS = 16;

    final int maxHeaderBytes;
    final int maxHeaderCount;
    private final int maxChunkLineBytes;
    private final HttpDecodeError[] errors;
    final HeadFields fields;
    /** The head and trailer bytes as an array; see {@link HeadView}. */
    private final HeadView view;
    /** {@link #fastFieldLines()}'s byte classes of one window, a tail word and a sentinel. */
    private final long[] masks = new long[WINDOW_WORDS + 2];


    ChannelHandlerContext ctx;
    ByteBuf cumulation;
    int state;
    private boolean decoding;
    private long remaining;

    /** Next byte to search for LF, relative to the cumulation's readerIndex. */
    private int scan;
    /** Start of the current line, relative to the readerIndex. */
    private int lineStart;
    /** Start of the field section of the head in progress, relative to the readerIndex. */
    private int sectionStart;
    private boolean startLineDone;
    private int trailerCount;

    Http1Decoder(int maxStartLineBytes, int maxHeaderBytes, int maxHeaderCount, int maxChunkLineBytes,
                 HttpDecodeError[] errors, int initialState) {
        this.maxHeaderBytes = positive("maxHeaderBytes", maxHeaderBytes);
        this.maxHeaderCount = positive("maxHeaderCount", maxHeaderCount);
        this.maxChunkLineBytes = positive("maxChunkLineBytes", maxChunkLineBytes);
        this.errors = errors;
        this.fields = new HeadFields(maxHeaderCount);
        this.state = initialState;
        // No line that passes the size limits ends past this (see nextHeadLineEnd), so the view
        // never copies further. The subclass validates maxStartLineBytes.
        this.view = new HeadView((int) Math.min(Integer.MAX_VALUE, (long) Math.max(0, maxStartLineBytes) + maxHeaderBytes + 4));
    }

    static int positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
        return value;
    }

    /** Longest start line accepted, CRLF excluded. */
    abstract int maxStartLineBytes();

    /** Called for an empty line where a start line should be; returns an error kind or -1 to skip it. */
    abstract int onEmptyStartLine();

    /** Parses the start line of {@code len} bytes at {@code a[base]}; error kind or -1. */
    abstract int parseStartLine(byte[] a, int base, int len);

    /**
     * Takes a complete head (its own buffer; {@link #fields} holds its field offsets; its bytes
     * are also at {@code a[base..]}), validates its framing, sets the body state and fires it — or
     * fails and releases it.
     *
     * @return whether decoding may continue
     */
    abstract boolean onHead(ByteBuf head, byte[] a, int base);

    /** Sets the state that follows a complete message (before its {@link HttpBodyEnd} is fired). */
    abstract void onMessageEnd();

    /** Bytes are buffered while {@link #IDLE}; return whether decoding may continue. */
    abstract boolean onIdleBytes(ByteBuf buf);

    // ---- pipeline events -------------------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        state = BAD;
        releaseCumulation();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf in = (ByteBuf) msg;
        if (state == BAD || !in.isReadable()) {
            in.release();
            return;
        }
        append(in);
        decode();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releaseCumulation();
        super.channelInactive(ctx);
    }

    // ---- cumulation ------------------------------------------------------------------------

    private void append(ByteBuf in) {
        ByteBuf c = cumulation;
        if (c == null) {
            cumulation = in;
            return;
        }
        if (!c.isReadable()) {
            c.release();
            cumulation = in;
            return;
        }
        int need = in.readableBytes();
        // Write in place only when nobody else holds the buffer: refCnt() > 1 means a retained
        // slice (a head or a body chunk) still points into it, and moving bytes would corrupt it.
        // A derived buffer (slice, duplicate) shares memory with a parent we do not own.
        if (c.refCnt() == 1 && c.unwrap() == null && !c.isReadOnly() && c.maxCapacity() - c.readableBytes() >= need) {
            if (c.writableBytes() < need) {
                c.discardSomeReadBytes(); // safe: no slice of ours points into c
            }
            c.writeBytes(in);
            in.release();
            return;
        }
        ByteBuf merged = ctx.alloc().buffer(Math.max(256, c.readableBytes() + need));
        merged.writeBytes(c).writeBytes(in);
        c.release();
        in.release();
        cumulation = merged;
    }

    private void releaseCumulation() {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
    }

    // ---- the loop --------------------------------------------------------------------------

    /** Decodes buffered bytes until more input is needed, the decoder idles, or it fails. */
    final void decode() {
        if (decoding || ctx == null) {
            return; // re-entered from a handler: the running loop picks up the new state
        }
        decoding = true;
        try {
            while (state != BAD && step()) {
                // each step fires at most one message, then the loop re-reads the state
            }
        } finally {
            decoding = false;
            if (cumulation != null && !cumulation.isReadable()) {
                releaseCumulation();
            }
        }
    }

    private boolean step() {
        switch (state) {
            case HEAD:
                return readHead();
            case FIXED_BODY:
            case CHUNK_DATA:
                return readData();
            case CHUNK_SIZE:
                return readChunkSize();
            case CHUNK_DATA_END:
                return readChunkDataEnd();
            case TRAILERS:
                return readTrailers();
            case CLOSE_DELIMITED_BODY:
                return readCloseDelimited();
            case END:
                return finishMessage(HttpBodyEnd.EMPTY);
            case IDLE:
                return cumulation != null && cumulation.isReadable() && onIdleBytes(cumulation);
            default:
                return false;
        }
    }

    final boolean fail(int kind) {
        state = BAD;
        releaseCumulation();
        ctx.fireChannelRead(errors[kind]);
        return false;
    }

    final boolean finishMessage(HttpBodyEnd end) {
        onMessageEnd();
        ctx.fireChannelRead(end);
        return true;
    }

    final void startFixedBody(long length) {
        remaining = length;
        state = length > 0 ? FIXED_BODY : END;
    }

    final void startChunkedBody() {
        state = CHUNK_SIZE;
    }

    private void resetLines() {
        view.reset();
        scan = 0;
        lineStart = 0;
        sectionStart = 0;
        startLineDone = false;
    }

    /**
     * Finds the end of the next line (index of its CR, relative to the readerIndex), or
     * {@link #NEED_MORE}, or {@link #BARE_LF_FOUND} when LF is not preceded by CR.
     */
    private int nextLineEnd(ByteBuf c) {
        int ri = c.readerIndex();
        int readable = c.readableBytes();
        if (scan >= readable) {
            return NEED_MORE;
        }
        int lf = c.forEachByte(ri + scan, readable - scan, ByteProcessor.FIND_LF);
        if (lf < 0) {
            scan = readable;
            return NEED_MORE;
        }
        int rel = lf - ri;
        scan = rel + 1;
        // RFC 9112 §2.2 allows a recipient to accept a bare LF; we do not: a front end and a back
        // end that split lines differently can be made to see different messages (smuggling).
        if (rel == lineStart || c.getByte(lf - 1) != HttpChars.CR) {
            return BARE_LF_FOUND;
        }
        return rel - 1;
    }

    /**
     * {@link #nextLineEnd(ByteBuf)} for head and trailer lines, scanning {@link #view} eight bytes
     * at a time. Past the view's cap it falls back to the buffer: such a line fails a size limit
     * before its content is read, but which error it gets (bare LF first) must not change.
     */
    private int nextHeadLineEnd(ByteBuf c) {
        int readable = c.readableBytes();
        if (scan >= readable) {
            return NEED_MORE;
        }
        HeadView v = view;
        int rel;
        for (;;) {
            if (scan < v.limit) {
                int lf = AsciiScan.indexOfLf(v.array, v.base + scan, v.base + v.limit);
                if (lf >= 0) {
                    rel = lf - v.base;
                    break;
                }
                scan = v.limit;
            }
            if (!v.extend(c)) {
                if (v.limit >= readable) {
                    scan = readable;
                    return NEED_MORE;
                }
                int ri = c.readerIndex();
                int lf = c.forEachByte(ri + scan, readable - scan, ByteProcessor.FIND_LF);
                if (lf < 0) {
                    scan = readable;
                    return NEED_MORE;
                }
                rel = lf - ri;
                break;
            }
        }
        scan = rel + 1;
        // RFC 9112 §2.2, as in nextLineEnd: no bare LF.
        if (rel == lineStart) {
            return BARE_LF_FOUND;
        }
        byte beforeLf = v.covers(rel - 1) ? v.array[v.base + rel - 1] : c.getByte(c.readerIndex() + rel - 1);
        return beforeLf == HttpChars.CR ? rel - 1 : BARE_LF_FOUND;
    }

    // ---- head ------------------------------------------------------------------------------

    private boolean readHead() {
        ByteBuf c = cumulation;
        if (c == null) {
            return false;
        }
        view.open(c);
        for (;;) {
            if (startLineDone && scan == lineStart) {
                // scan > lineStart: the line is incomplete and was searched up to scan already;
                // the general path resumes there, so a head that trickles in stays O(n).
                int error = fastFieldLines();
                if (error >= 0) {
                    return fail(error);
                }
            }
            int end = nextHeadLineEnd(c);
            if (end == NEED_MORE) {
                return checkPartialHead(c.readableBytes());
            }
            if (end == BARE_LF_FOUND) {
                return fail(DecodeErrors.BARE_LF);
            }
            int ri = c.readerIndex();
            byte[] a = view.array;
            int base = view.base;
            if (!startLineDone) {
                if (end == 0) {
                    int error = onEmptyStartLine();
                    if (error >= 0) {
                        return fail(error);
                    }
                    c.skipBytes(2);
                    resetLines();
                    view.open(c);
                    continue;
                }
                if (end > maxStartLineBytes()) {
                    return fail(DecodeErrors.START_LINE_TOO_LONG);
                }
                int error = parseStartLine(a, base, end);
                if (error >= 0) {
                    return fail(error);
                }
                startLineDone = true;
                lineStart = end + 2;
                sectionStart = lineStart;
                fields.reset();
                continue;
            }
            if (end == lineStart) {
                int headLength = end + 2;
                ByteBuf head;
                if (ri == 0 && c.writerIndex() == headLength) {
                    // The read held exactly this head (a body-less request, nothing pipelined): the
                    // buffer itself is the head, index 0 its first byte. Handing our reference
                    // over saves a slice (a Recycler round trip) and a retain/release pair.
                    head = c;
                    cumulation = null;
                } else {
                    head = c.retainedSlice(ri, headLength);
                    c.skipBytes(headLength);
                }
                resetLines();
                // a[base..] still holds the head: a heap cumulation is not written while we run,
                // and the scratch array is only refilled by the next open().
                return onHead(head, a, base);
            }
            if (end + 2 - sectionStart > maxHeaderBytes) {
                return fail(DecodeErrors.HEADERS_TOO_LARGE);
            }
            if (fields.count() >= maxHeaderCount) {
                return fail(DecodeErrors.TOO_MANY_HEADERS);
            }
            int error = parseFieldLine(a, base, lineStart, end, true);
            if (error >= 0) {
                return fail(error);
            }
            lineStart = end + 2;
        }
    }

    /**
     * Parses field lines from {@link #lineStart} on as long as they are the common, well-formed
     * kind that is entirely in view: {@code token ":" *SP value CRLF} with no control character in
     * the value. It stops, untouched, at the first line that is anything else (obs-fold, HTAB, a
     * bad byte, a bare CR or LF, a line not yet complete, the empty line), and the general path
     * decides that line exactly as before: LF first, then limits, then syntax. Where this path
     * records a line, the general path would have found the same line end, the same limits and the
     * same offsets.
     *
     * <p>Two passes over a window of up to {@link #WINDOW_WORDS} words from the first line: one
     * branch-free loop classifies every byte ({@link AsciiScan#fieldMasks}), then each line's name
     * end and CR are read off those masks. Scanning line by line instead makes every line wait for
     * the previous line's end (the load and mask latency of a serial chain, ~40 cycles a line). A
     * line that does not fit in a window is left to {@link #lineByLine()}.
     *
     * @return -1 when it stopped at a line for the general path, or an error kind (a size limit)
     */
    private int fastFieldLines() {
        int error = windowed();
        if (error == LINE_TOO_LONG) {
            error = lineByLine();
        }
        scan = lineStart;
        return error;
    }

    /**
     * {@link #fastFieldLines()} over windows of masks.
     *
     * @return -1 or an error kind as {@link #fastFieldLines()}, or {@link #LINE_TOO_LONG} when it
     *     stopped at a line longer than a window
     */
    private int windowed() {
        HeadView v = view;
        byte[] a = v.array;
        int base = v.base;
        int lim = base + v.limit;
        HeadFields f = fields;
        long[] mk = masks;
        int s = base + lineStart;
        // The last CR a field line may end at: (cr - base) + 2 - sectionStart <= maxHeaderBytes.
        int lastCr = (int) Math.min(Integer.MAX_VALUE, (long) base + sectionStart + maxHeaderBytes - 2);
        for (;;) {
            // The window starts at line s; wEnd is the end of the bytes its masks describe.
            int w0 = s;
            int avail = lim - w0;
            if (avail < Long.BYTES) {
                break;
            }
            int words = Math.min(avail >>> 3, WINDOW_WORDS);
            AsciiScan.fieldMasks(a, w0, words, mk);
            int wEnd = w0 + (words << 3);
            int tail = avail & 7;
            if (words < WINDOW_WORDS && tail != 0) {
                // The last bytes in view, from a word that overlaps the previous one; what lies
                // past them reads as a control byte, so no scan below ever passes lim.
                mk[words++] = AsciiScan.fieldMask(a, lim - Long.BYTES) >>> ((Long.BYTES - tail) << 3) | (-1L << (tail << 3));
                wEnd = lim;
            }
            // A sentinel: every byte a stop and a control, so every scan ends in the window.
            mk[words] = -1L;
            for (;;) {
                int rel = s - w0;
                // The line end: the first control byte of the line, so it is the CR the general
                // path would find. Searched from the line start, not from the name end, so that
                // finding the next line waits on nothing but this search.
                int k = rel >>> 3;
                long from = -1L << ((rel & 7) << 3);
                long c = mk[k] & AsciiScan.CONTROL_BITS & from;
                while (c == 0) {
                    c = mk[++k] & AsciiScan.CONTROL_BITS;
                }
                int cr = w0 + (k << 3) + (Long.numberOfTrailingZeros(c) >>> 3);
                if (cr + 1 >= wEnd) {
                    if (wEnd == lim) {
                        break; // the line has not ended in view: the general path waits for more
                    }
                    if (s == w0) {
                        lineStart = s - base;
                        return LINE_TOO_LONG;
                    }
                    break; // the next window starts at this line
                }
                // The name: letters, digits and '-' up to the first other byte, which has to be ':'
                // (a control byte is a stop byte too, so the name ends at the CR at the latest).
                int j = rel >>> 3;
                long m = mk[j] & AsciiScan.STOP_BITS & from;
                while (m == 0) {
                    m = mk[++j] & AsciiScan.STOP_BITS;
                }
                int colon = w0 + (j << 3) + (Long.numberOfTrailingZeros(m) >>> 3);
                if (a[colon] != HttpChars.COLON) {
                    // Rare: a tchar other than a letter, digit or '-' in the name.
                    while (colon < cr && HttpChars.isTchar(a[colon])) {
                        colon++;
                    }
                    if (a[colon] != HttpChars.COLON) {
                        lineStart = s - base;
                        return -1;
                    }
                }
                if (colon == s || a[cr] != HttpChars.CR || a[cr + 1] != HttpChars.LF) {
                    lineStart = s - base;
                    return -1;
                }
                int vs = colon + 1;
                while (a[vs] == HttpChars.SP) {
                    vs++; // ends at the CR at the latest
                }
                int ve = cr;
                while (ve > vs && a[ve - 1] == HttpChars.SP) {
                    ve--;
                }
                if (cr > lastCr || f.count() >= maxHeaderCount) {
                    lineStart = s - base;
                    return cr > lastCr ? DecodeErrors.HEADERS_TOO_LARGE : DecodeErrors.TOO_MANY_HEADERS;
                }
                f.add(a, base, s, colon - s, vs, ve - vs, vs == colon + 2 && ve == cr && ve > vs);
                s = cr + 2;
            }
            if (wEnd == lim || s == w0) {
                break;
            }
        }
        lineStart = s - base;
        return -1;
    }

    /**
     * {@link #fastFieldLines()} one line at a time: each line's name and value scanned word by
     * word from where the previous line ended. For lines longer than a window (a big cookie).
     */
    private int lineByLine() {
        HeadView v = view;
        byte[] a = v.array;
        int base = v.base;
        int lim = base + v.limit;
        HeadFields f = fields;
        int s = base + lineStart;
        int error = -1;
        for (;;) {
            int i = AsciiScan.skipNameChars(a, s, lim);
            if (i >= lim) {
                break;
            }
            if (a[i] != HttpChars.COLON) {
                // Rare: a tchar other than a letter, digit or '-' in the name.
                while (i < lim && HttpChars.isTchar(a[i])) {
                    i++;
                }
                if (i >= lim || a[i] != HttpChars.COLON) {
                    break;
                }
            }
            if (i == s) {
                break;
            }
            int vs = i + 1;
            while (vs < lim && a[vs] == HttpChars.SP) {
                vs++;
            }
            // No byte before the CR is a control character, so none is an LF: the CRLF found here
            // is the line end nextHeadLineEnd would find, and every value byte is valid (RFC 9110
            // §5.5).
            int cr = AsciiScan.indexOfControl(a, vs, lim);
            if (cr < 0 || a[cr] != HttpChars.CR || cr + 1 >= lim || a[cr + 1] != HttpChars.LF) {
                break;
            }
            int ve = cr;
            while (ve > vs && a[ve - 1] == HttpChars.SP) {
                ve--;
            }
            int end = cr - base;
            if (end + 2 - sectionStart > maxHeaderBytes) {
                error = DecodeErrors.HEADERS_TOO_LARGE;
                break;
            }
            if (f.count() >= maxHeaderCount) {
                error = DecodeErrors.TOO_MANY_HEADERS;
                break;
            }
            f.add(a, base, s, i - s, vs, ve - vs, vs == i + 2 && ve == cr && ve > vs);
            s = cr + 2;
        }
        lineStart = s - base;
        return error;
    }

    /** Enforces the limits on a line that has not ended yet; +1 leaves room for its CR. */
    private boolean checkPartialHead(int readable) {
        if (!startLineDone) {
            if (readable - lineStart > maxStartLineBytes() + 1) {
                return fail(DecodeErrors.START_LINE_TOO_LONG);
            }
        } else if (readable - sectionStart > maxHeaderBytes + 1) {
            return fail(DecodeErrors.HEADERS_TOO_LARGE);
        }
        return false;
    }

    /**
     * Validates one field line (RFC 9112 §5, RFC 9110 §5.5) between {@code start} and {@code end}
     * (relative to {@code base}, an index of {@code a}); with {@code record}, stores its offsets in
     * {@link #fields}.
     *
     * @return an error kind, or -1
     */
    private int parseFieldLine(byte[] a, int base, int start, int end, boolean record) {
        int s = base + start;
        int e = base + end;
        byte first = a[s];
        // RFC 9112 §5.2: obs-fold is rejected; unfolding differently from the next hop is a
        // header-smuggling vector.
        if (HttpChars.isOws(first)) {
            return DecodeErrors.OBS_FOLD;
        }
        int i = s;
        while (i < e && HttpChars.isTchar(a[i])) {
            i++;
        }
        if (i == e) {
            return DecodeErrors.MISSING_COLON;
        }
        byte b = a[i];
        if (b != HttpChars.COLON) {
            // RFC 9112 §5.1: "Host : evil" must be rejected, not trimmed — parsers that trim it
            // and parsers that ignore it disagree about the Host.
            return HttpChars.isOws(b) ? DecodeErrors.WHITESPACE_BEFORE_COLON : DecodeErrors.BAD_FIELD_NAME;
        }
        if (i == s) {
            return DecodeErrors.BAD_FIELD_NAME;
        }
        int v = i + 1;
        while (v < e && HttpChars.isOws(a[v])) {
            v++;
        }
        int ve = e;
        while (ve > v && HttpChars.isOws(a[ve - 1])) {
            ve--;
        }
        // RFC 9110 §5.5: NUL, CR, LF and other CTLs in a value are rejected (header injection).
        for (int k = v; k < ve; k++) {
            if (!HttpChars.isFieldValueChar(a[k])) {
                return DecodeErrors.BAD_FIELD_VALUE;
            }
        }
        if (record) {
            // Canonical: one SP after the colon, no trailing whitespace, a value (FieldLines).
            fields.add(a, base, s, i - s, v, ve - v, v == i + 2 && a[i + 1] == HttpChars.SP && ve == e && ve > v);
            return -1;
        }
        int kind = HeaderNames.kind(a, s, i - s);
        if (isFramingField(kind)) {
            // RFC 9110 §6.5.1: framing and routing fields never come from trailers; a recipient
            // that merges them into the head could be steered into a different message length.
            return DecodeErrors.FRAMING_FIELD_IN_TRAILERS;
        }
        if (HeaderNames.isStaticHopByHop(kind) || kind == HeaderNames.PROXY_AUTHORIZATION) {
            // RFC 9110 §6.5.1 and §7.6.1: trailers are forwarded as received, so a Connection,
            // Upgrade or Proxy-Authorization field hidden there would bypass the hop-by-hop
            // stripping the head gets (hop-by-hop header abuse, credential leak to the origin).
            return DecodeErrors.HOP_BY_HOP_IN_TRAILERS;
        }
        return -1;
    }

    private static boolean isFramingField(int kind) {
        return kind == HeaderNames.CONTENT_LENGTH || kind == HeaderNames.TRANSFER_ENCODING
                || kind == HeaderNames.HOST;
    }

    // ---- bodies ----------------------------------------------------------------------------

    /** Fixed-length body or chunk data: forwards what is buffered, up to the bytes still owed. */
    private boolean readData() {
        ByteBuf c = cumulation;
        if (c == null || !c.isReadable()) {
            return false;
        }
        int n = (int) Math.min(remaining, c.readableBytes());
        ByteBuf data = c.retainedSlice(c.readerIndex(), n);
        c.skipBytes(n);
        remaining -= n;
        if (remaining == 0) {
            state = state == FIXED_BODY ? END : CHUNK_DATA_END;
        }
        ctx.fireChannelRead(data);
        return true;
    }

    private boolean readCloseDelimited() {
        ByteBuf c = cumulation;
        if (c == null || !c.isReadable()) {
            return false;
        }
        int n = c.readableBytes();
        ByteBuf data = c.retainedSlice(c.readerIndex(), n);
        c.skipBytes(n);
        ctx.fireChannelRead(data);
        return true;
    }

    /** RFC 9112 §7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF. */
    private boolean readChunkSize() {
        ByteBuf c = cumulation;
        if (c == null) {
            return false;
        }
        int end = nextLineEnd(c);
        if (end == NEED_MORE) {
            // Extensions are bounded so a peer cannot make us buffer an endless chunk line.
            return c.readableBytes() > maxChunkLineBytes + 1 && fail(DecodeErrors.CHUNK_LINE_TOO_LONG);
        }
        if (end == BARE_LF_FOUND) {
            return fail(DecodeErrors.BARE_LF);
        }
        if (end > maxChunkLineBytes) {
            return fail(DecodeErrors.CHUNK_LINE_TOO_LONG);
        }
        int base = c.readerIndex();
        long size = 0;
        int i = 0;
        for (; i < end; i++) {
            int d = HttpChars.hexValue(c.getByte(base + i));
            if (d < 0) {
                break;
            }
            // A wrapped size would let the peer choose where the next "chunk" starts (smuggling).
            if (i == MAX_CHUNK_SIZE_DIGITS || (size >>> 59) != 0) {
                return fail(DecodeErrors.CHUNK_SIZE_OVERFLOW);
            }
            size = (size << 4) | d;
        }
        if (i == 0) {
            return fail(DecodeErrors.BAD_CHUNK_SIZE);
        }
        if (i < end) {
            int error = checkChunkExtension(c, base + i, base + end);
            if (error >= 0) {
                return fail(error);
            }
        }
        c.skipBytes(end + 2);
        resetLines();
        if (size == 0) {
            trailerCount = 0;
            state = TRAILERS;
        } else {
            remaining = size;
            state = CHUNK_DATA;
        }
        return true;
    }

    /**
     * RFC 9112 §7.1.1: chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] ). Extensions are
     * ignored, but anything after the size must start with ";" and hold no CTL other than HTAB: a
     * size like "5 x" or one followed by a bare CR is how chunk-length smuggling begins.
     */
    private static int checkChunkExtension(ByteBuf c, int from, int to) {
        int i = from;
        while (i < to && HttpChars.isOws(c.getByte(i))) {
            i++;
        }
        if (i == to) {
            return DecodeErrors.BAD_CHUNK_SIZE;
        }
        if (c.getByte(i) != ';') {
            return i == from ? DecodeErrors.BAD_CHUNK_SIZE : DecodeErrors.BAD_CHUNK_EXTENSION;
        }
        for (; i < to; i++) {
            if (!HttpChars.isFieldValueChar(c.getByte(i))) {
                return DecodeErrors.BAD_CHUNK_EXTENSION;
            }
        }
        return -1;
    }

    private boolean readChunkDataEnd() {
        ByteBuf c = cumulation;
        if (c == null || !c.isReadable()) {
            return false;
        }
        int ri = c.readerIndex();
        if (c.getByte(ri) != HttpChars.CR) {
            return fail(DecodeErrors.MISSING_CHUNK_CRLF);
        }
        if (c.readableBytes() < 2) {
            return false;
        }
        if (c.getByte(ri + 1) != HttpChars.LF) {
            return fail(DecodeErrors.MISSING_CHUNK_CRLF);
        }
        c.skipBytes(2);
        state = CHUNK_SIZE;
        return true;
    }

    /** RFC 9112 §7.1.2: trailer-section = *( field-line CRLF ), then CRLF. */
    private boolean readTrailers() {
        ByteBuf c = cumulation;
        if (c == null) {
            return false;
        }
        view.open(c);
        for (;;) {
            int end = nextHeadLineEnd(c);
            if (end == NEED_MORE) {
                return c.readableBytes() > maxHeaderBytes + 1 && fail(DecodeErrors.TRAILERS_TOO_LARGE);
            }
            if (end == BARE_LF_FOUND) {
                return fail(DecodeErrors.BARE_LF);
            }
            int ri = c.readerIndex();
            if (end == lineStart) {
                HttpBodyEnd bodyEnd = lineStart == 0
                        ? HttpBodyEnd.EMPTY
                        : HttpBodyEnd.withTrailers(c.retainedSlice(ri, lineStart));
                c.skipBytes(lineStart + 2);
                resetLines();
                return finishMessage(bodyEnd);
            }
            // Trailers count against the same budget as the head: they are just more fields.
            if (end + 2 > maxHeaderBytes || ++trailerCount > maxHeaderCount) {
                return fail(DecodeErrors.TRAILERS_TOO_LARGE);
            }
            int error = parseFieldLine(view.array, view.base, lineStart, end, false);
            if (error >= 0) {
                return fail(error);
            }
            lineStart = end + 2;
        }
    }

    final boolean inBody() {
        return state >= FIXED_BODY && state <= CLOSE_DELIMITED_BODY;
    }

    final void startCloseDelimitedBody() {
        state = CLOSE_DELIMITED_BODY;
    }
}
