package dev.meridian.engine.filter;

import io.netty.util.AsciiString;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetAddress;

/**
 * A filter's view of the request in flight (and, in response hooks, of its response head): what
 * it may read, the header edits it may make, the metadata it may pass along, and how it answers
 * locally or resumes after waiting.
 *
 * <p>Reads work over the received head's offsets: the {@code AsciiString} forms compare bytes
 * and allocate nothing; the {@code String} forms allocate and exist for filters that need text.
 * Header names compare ignoring ASCII case. Header reads see the edits earlier filters made.
 *
 * <p>Edits are recorded, not applied: the encoders apply them as they write the head, so only
 * what a filter changed is re-encoded. They are checked as they are made (RFC 9110 token names,
 * field values without CR, LF or NUL, no framing or hop-by-hop fields, and on requests no
 * X-Forwarded-* field): a refused edit throws {@link IllegalArgumentException}, which answers the
 * request 500. Routing uses the received host and path; edits change what the origin receives.
 *
 * <p>Valid only during a hook, or between {@link FilterResult#PENDING} and {@link #resume}: keep
 * no reference to it beyond.
 */
public interface FilterContext {

    // ---- request line and connection -----------------------------------------------------------

    /** Whether the request method is exactly {@code method} (methods are case-sensitive). */
    boolean methodIs(AsciiString method);

    /** The request method. Allocates. */
    String method();

    /** Whether the path the request is routed on (normalized) starts with {@code prefix}. */
    boolean pathStartsWith(AsciiString prefix);

    /** The path the request is routed on: normalized, without the query. Allocates. */
    String path();

    /** The query without its {@code ?}, or null when there is none. Allocates. */
    String query();

    /** The client's address, or null when the connection has none. */
    InetAddress clientAddress();

    /** The matched route's name; null in listener request hooks (they run before the match). */
    String routeName();

    // ---- request headers -----------------------------------------------------------------------

    /** Whether the request has a field {@code name}. */
    boolean hasRequestHeader(AsciiString name);

    /** Whether the request's first {@code name} field's value is exactly {@code value}. */
    boolean requestHeaderEquals(AsciiString name, AsciiString value);

    /** The first value of request field {@code name}, or null. Allocates. */
    String requestHeader(CharSequence name);

    /** Replaces every request field {@code name} with {@code name: value} upstream. */
    void setRequestHeader(AsciiString name, AsciiString value);

    /** Adds a request field {@code name: value} upstream, keeping those there. */
    void addRequestHeader(AsciiString name, AsciiString value);

    /** Removes every request field {@code name} before the request goes upstream. */
    void removeRequestHeader(AsciiString name);

    // ---- response head (response hooks only; otherwise IllegalStateException) ------------------

    /** The upstream response's status code. */
    int responseStatus();

    /** Whether the response has a field {@code name}. */
    boolean hasResponseHeader(AsciiString name);

    /** The first value of response field {@code name}, or null. Allocates. */
    String responseHeader(CharSequence name);

    /** Replaces every response field {@code name} with {@code name: value} downstream. */
    void setResponseHeader(AsciiString name, AsciiString value);

    /** Adds a response field {@code name: value} downstream, keeping those there. */
    void addResponseHeader(AsciiString name, AsciiString value);

    /** Removes every response field {@code name} before the response goes downstream. */
    void removeResponseHeader(AsciiString name);

    // ---- metadata --------------------------------------------------------------------------------

    /** The request's metadata stored under {@code key}, or null. */
    <T> T metadata(MetadataKey<T> key);

    /** Stores {@code value} under {@code key} for later filters of this request (null removes). */
    <T> void putMetadata(MetadataKey<T> key, T value);

    // ---- answering and resuming ----------------------------------------------------------------

    /**
     * Answers the request with {@code reply} instead of the origin and returns
     * {@link FilterResult#RESPONDED} for the hook to return. The connection stays open when the
     * request was read whole and the client keeps it alive, as for the proxy's own errors.
     */
    FilterResult respond(LocalReply reply);

    /** The request's event loop: a filter that waited hands its {@link #resume} to it. */
    EventExecutor executor();

    /**
     * Ends a {@link FilterResult#PENDING} wait: {@code CONTINUE} runs the next filter, and
     * {@code RESPONDED} (after {@link #respond}) answers. Call it once, on {@link #executor()};
     * a call from another thread is handed over, and a call after the request ended (the client
     * left) does nothing.
     */
    void resume(FilterResult result);
}
