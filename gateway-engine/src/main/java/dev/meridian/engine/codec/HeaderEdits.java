package dev.meridian.engine.codec;

import io.netty.buffer.ByteBuf;
import io.netty.util.AsciiString;
import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * The header edits that filters made to one message (set, add, remove), kept as a short list the
 * encoders apply while copying the received fields: only what a filter changed is re-encoded
 * (ARCHITECTURE.md hot-path rule 2), and a message without edits takes the encoders' usual path.
 *
 * <p>Edits apply in order and collapse as they are recorded: {@code remove(n)} forgets earlier
 * edits of {@code n} and drops every received {@code n} field; {@code set(n, v)} does the same,
 * then writes one {@code n: v}; {@code add(n, v)} keeps received fields and appends {@code n: v}.
 * Names compare ignoring ASCII case and are written as given.
 *
 * <p>Every edit is checked as it is recorded, because a value may come from request data at run
 * time: names must be RFC 9110 §5.6.2 tokens, values RFC 9110 §5.5 field values (no CR, LF, NUL
 * or other controls: header injection and response splitting), and framing and hop-by-hop fields
 * (Content-Length, Transfer-Encoding, Connection, Keep-Alive, Proxy-Connection, TE, Trailer,
 * Upgrade) are refused: the proxy alone writes those, and a second opinion about framing is how
 * request smuggling starts. Request edits also refuse the X-Forwarded-* fields the proxy rebuilds.
 * A refused edit throws {@link IllegalArgumentException}.
 *
 * <p>Not thread-safe: one instance belongs to one exchange on its event loop, and is cleared and
 * reused for the next request of the connection.
 */
public final class HeaderEdits {

    private static final byte[] COLON_SP = {':', ' '};
    private static final byte[] CRLF = {'\r', '\n'};
    private static final AsciiString HOST = HeaderNames.N_HOST;
    private static final AsciiString[] ALWAYS_PROTECTED = {HeaderNames.N_CONTENT_LENGTH,
        HeaderNames.N_TRANSFER_ENCODING, HeaderNames.N_CONNECTION, HeaderNames.N_KEEP_ALIVE,
        HeaderNames.N_PROXY_CONNECTION, HeaderNames.N_TE, HeaderNames.N_TRAILER, HeaderNames.N_UPGRADE};
    private static final AsciiString[] REQUEST_PROTECTED = {HeaderNames.N_X_FORWARDED_FOR,
        HeaderNames.N_X_FORWARDED_PROTO, HeaderNames.N_X_FORWARDED_HOST};

    private final boolean request;
    private AsciiString[] names = new AsciiString[4];
    private AsciiString[] values = new AsciiString[4];
    /** Names whose received fields are dropped (set or removed). */
    private AsciiString[] replaced = new AsciiString[4];
    private int size;
    private int replacedSize;

    private HeaderEdits(boolean request) {
        this.request = request;
    }

    /** Edits of a request head: refuses framing, hop-by-hop and X-Forwarded-* fields. */
    public static HeaderEdits forRequest() {
        return new HeaderEdits(true);
    }

    /** Edits of a response head: refuses framing and hop-by-hop fields. */
    public static HeaderEdits forResponse() {
        return new HeaderEdits(false);
    }

    /** Replaces every field named {@code name} with one {@code name: value}. */
    public void set(AsciiString name, AsciiString value) {
        checkName(name);
        checkValue(name, value);
        forget(name);
        markReplaced(name);
        append(name, value);
    }

    /** Appends {@code name: value}, keeping the fields already there. */
    public void add(AsciiString name, AsciiString value) {
        checkName(name);
        checkValue(name, value);
        append(name, value);
    }

    /** Removes every field named {@code name}, received or added. */
    public void remove(AsciiString name) {
        checkName(name);
        forget(name);
        markReplaced(name);
    }

    /** Whether no edit was recorded since the last {@link #clear()}. */
    public boolean isEmpty() {
        return size == 0 && replacedSize == 0;
    }

    /** Forgets every edit, keeping the arrays for the next message. */
    public void clear() {
        Arrays.fill(names, 0, size, null);
        Arrays.fill(values, 0, size, null);
        Arrays.fill(replaced, 0, replacedSize, null);
        size = 0;
        replacedSize = 0;
    }

    /** Whether the received fields named {@code name} are dropped (a set or remove of it). */
    public boolean replaces(AsciiString name) {
        for (int i = 0; i < replacedSize; i++) {
            if (replaced[i].contentEqualsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** The first value an edit writes for {@code name}, or null. */
    public AsciiString firstValue(AsciiString name) {
        for (int i = 0; i < size; i++) {
            if (names[i].contentEqualsIgnoreCase(name)) {
                return values[i];
            }
        }
        return null;
    }

    /** Calls {@code action} with each field a set or add writes, in order (not on the hot path). */
    public void forEachAdded(BiConsumer<AsciiString, AsciiString> action) {
        for (int i = 0; i < size; i++) {
            action.accept(names[i], values[i]);
        }
    }

    /** Whether a received field whose name is the {@code len} bytes at {@code off} is dropped. */
    boolean drops(ByteBuf buf, int off, int len) {
        for (int i = 0; i < replacedSize; i++) {
            if (nameEquals(buf, off, len, replaced[i])) {
                return true;
            }
        }
        return false;
    }

    /** Whether an edit writes a Host field (then no default Host is added). */
    boolean writesHost() {
        return firstValue(HOST) != null;
    }

    /** Writes the set and added fields, each as {@code name: value CRLF}. */
    void writeTo(ByteBuf out) {
        for (int i = 0; i < size; i++) {
            out.writeBytes(names[i].array(), names[i].arrayOffset(), names[i].length());
            out.writeBytes(COLON_SP);
            out.writeBytes(values[i].array(), values[i].arrayOffset(), values[i].length());
            out.writeBytes(CRLF);
        }
    }

    /** Bytes {@link #writeTo} writes, for sizing the output buffer. */
    int encodedLength() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            n += names[i].length() + values[i].length() + 4;
        }
        return n;
    }

    /** Whether the {@code len} bytes at {@code off} equal {@code name} ignoring ASCII case. */
    public static boolean nameEquals(ByteBuf buf, int off, int len, AsciiString name) {
        if (len != name.length()) {
            return false;
        }
        byte[] a = name.array();
        int base = name.arrayOffset();
        for (int i = 0; i < len; i++) {
            if (HttpChars.toLower(buf.getByte(off + i)) != HttpChars.toLower(a[base + i])) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code name} is an RFC 9110 §5.6.2 token: one or more tchar. */
    public static boolean isToken(CharSequence name) {
        if (name == null || name.length() == 0) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0xFF || !HttpChars.isTchar((byte) c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code value} is an RFC 9110 §5.5 field value as we write it: visible ASCII, SP,
     * HTAB and obs-text, without leading or trailing whitespace. CR, LF and NUL never pass.
     */
    public static boolean isFieldValue(CharSequence value) {
        if (value == null) {
            return false;
        }
        int n = value.length();
        if (n > 0 && (isOws(value.charAt(0)) || isOws(value.charAt(n - 1)))) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c > 0xFF || !HttpChars.isFieldValueChar((byte) c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a filter may not edit {@code name}: framing and hop-by-hop fields always, and on a
     * request the X-Forwarded-For / -Proto / -Host fields the proxy rebuilds from what it saw.
     */
    public static boolean isProtected(CharSequence name, boolean request) {
        for (AsciiString p : ALWAYS_PROTECTED) {
            if (p.contentEqualsIgnoreCase(name)) {
                return true;
            }
        }
        if (request) {
            for (AsciiString p : REQUEST_PROTECTED) {
                if (p.contentEqualsIgnoreCase(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void checkName(AsciiString name) {
        if (!isToken(name)) {
            throw new IllegalArgumentException("header name: " + quote(name) + " (expected: an RFC 9110 token)");
        }
        if (isProtected(name, request)) {
            throw new IllegalArgumentException("header name: " + quote(name)
                    + " (expected: not a framing, hop-by-hop or X-Forwarded-* field)");
        }
    }

    private static void checkValue(AsciiString name, AsciiString value) {
        if (!isFieldValue(value)) {
            throw new IllegalArgumentException("value of " + name + ": " + quote(value)
                    + " (expected: visible characters, spaces and tabs; no CR, LF or NUL)");
        }
    }

    private static String quote(CharSequence s) {
        return s == null ? "missing" : '"' + s.toString().replace("\r", "\\r").replace("\n", "\\n")
                .replace("\0", "\\0") + '"';
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    private void forget(AsciiString name) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (!names[i].contentEqualsIgnoreCase(name)) {
                names[kept] = names[i];
                values[kept] = values[i];
                kept++;
            }
        }
        Arrays.fill(names, kept, size, null);
        Arrays.fill(values, kept, size, null);
        size = kept;
    }

    private void markReplaced(AsciiString name) {
        if (replaces(name)) {
            return;
        }
        if (replacedSize == replaced.length) {
            replaced = Arrays.copyOf(replaced, replacedSize * 2);
        }
        replaced[replacedSize++] = name;
    }

    private void append(AsciiString name, AsciiString value) {
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        names[size] = name;
        values[size] = value;
        size++;
    }
}
