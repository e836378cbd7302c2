package dev.meridian.engine.filter;

import dev.meridian.engine.codec.HeaderEdits;
import dev.meridian.engine.codec.HttpHead;
import dev.meridian.engine.codec.HttpRequestHead;
import dev.meridian.engine.codec.HttpResponseHead;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the filter chains of one request (the listener's, then the matched route's; their response
 * hooks in reverse) and is the {@link FilterContext} its filters see.
 *
 * <p>One instance serves a connection's requests one after another ({@link #begin} … {@link #end}),
 * so a request whose filters all answer synchronously allocates nothing here: header edits and
 * metadata live in arrays kept across requests. An instance whose chain ever waited
 * ({@link FilterResult#PENDING}) is not {@link #reusable()}: a late {@link #resume} from a filter
 * of an ended request then reaches a retired object rather than the next request.
 *
 * <p>Confined to the connection's event loop, like the exchange it belongs to.
 */
public final class FilterExecution implements FilterContext {

    private static final Logger log = LoggerFactory.getLogger(FilterExecution.class);

    /** What a defective filter (one that threw, or broke the result contract) answers: generic. */
    static final LocalReply FILTER_FAILED = LocalReply.of(500).withBody("Internal Server Error\n");

    /** The exchange that a waiting chain hands its outcome to. */
    public interface Continuation {
        /** The request chain that waited has ended with {@code CONTINUE} or {@code RESPONDED}. */
        void onRequestFiltersResumed(FilterResult result);
    }

    private final EventExecutor executor;
    private final FilterMetadata metadata = new FilterMetadata();
    private final HeadBytes requestBytes = new HeadBytes();
    private final HeadBytes responseBytes = new HeadBytes();
    private HeaderEdits requestEdits;
    private HeaderEdits responseEdits;

    private HttpRequestHead head;
    private byte[] normalizedPath;
    private InetAddress client;
    private Continuation continuation;
    private String routeName;
    private HttpResponseHead response;
    private LocalReply reply;
    /**
     * The chains whose request hooks ran (listener, route), for the response hooks; the last of
     * them is the one running (see {@link #running()}), so no third field is written per request.
     */
    private FilterChain first;
    private FilterChain second;
    private int index;
    private boolean active;
    private boolean pending;
    private boolean retired;

    private FilterExecution(EventExecutor executor) {
        this.executor = executor;
    }

    /** An execution for requests on {@code executor}'s event loop. */
    public static FilterExecution create(EventExecutor executor) {
        return new FilterExecution(executor);
    }

    /**
     * Starts serving a request: a few field stores, so requests without filters pay nothing more.
     *
     * @param continuation told when a chain that waited ends; may be null when no filter waits
     */
    public void begin(HttpRequestHead head, InetAddress client, Continuation continuation) {
        this.head = head;
        this.requestBytes.reset(head);
        this.client = client;
        this.continuation = continuation;
        this.active = true;
    }

    /** Ends the request: forgets it, its edits and its metadata. */
    public void end() {
        active = false;
        pending = false;
        head = null;
        requestBytes.reset(null);
        client = null;
        continuation = null;
        // Metadata may be stored through this context outside a chain too; clearing none costs two loads.
        metadata.clear();
        if (first == null) {
            return; // no chain ran: nothing else was touched (the common case without filters)
        }
        // response is already null: runResponse forgets it when its hooks return.
        normalizedPath = null;
        routeName = null;
        reply = null;
        first = null;
        second = null;
        if (requestEdits != null) {
            requestEdits.clear();
        }
        if (responseEdits != null) {
            responseEdits.clear();
        }
    }

    /** Whether the next request of the connection may use this instance (no filter ever waited). */
    public boolean reusable() {
        return !retired;
    }

    /**
     * Runs {@code chain}'s request hooks in order until one does not continue; an empty chain
     * returns at once.
     *
     * @param normalizedPath the path the request is routed on when it differs from the received one, else null
     * @param routeName      the matched route (for a route's chain), or null before the match
     * @return {@code CONTINUE} when all continued; {@code RESPONDED} (see {@link #reply()});
     *     or {@code PENDING}, after which the {@link Continuation} hears the outcome
     */
    public FilterResult runRequest(FilterChain chain, byte[] normalizedPath, String routeName) {
        if (chain.isEmpty()) {
            return FilterResult.CONTINUE;
        }
        this.normalizedPath = normalizedPath;
        this.routeName = routeName;
        if (first == null) {
            first = chain;
        } else {
            second = chain;
        }
        // index is written only when a hook stops (for resume and defects), not here.
        return chain.runner().runRequest(this, 0);
    }

    private FilterResult continueRequest() {
        return running().runner().runRequest(this, index);
    }

    /** The chain whose request hooks run now: the last one {@link #runRequest} was given. */
    private FilterChain running() {
        return second != null ? second : first;
    }

    // ---- what the chain's runner reports (see ChainRunner) -------------------------------------

    /** All request hooks of the running chain continued (nothing reads the index afterwards). */
    FilterResult requestsDone(int size) {
        return FilterResult.CONTINUE;
    }

    /** The request hook at position {@code i} returned {@code r}, not {@code CONTINUE}. */
    FilterResult requestStopped(int i, FilterResult r) {
        // The index is written only when the chain stops: for resume and defects.
        index = i;
        if (r == FilterResult.PENDING) {
            pending = true;
            retired = true;
            return r;
        }
        return checkReply(running().get(i), r);
    }

    /** The request hook at position {@code i} threw {@code e}. */
    FilterResult requestThrew(int i, RuntimeException e) {
        index = i;
        return defect(running().get(i), e);
    }

    /** {@code filter}'s response hook returned {@code r}, not {@code CONTINUE}. */
    FilterResult responseStopped(HttpFilter filter, FilterResult r) {
        return r == FilterResult.PENDING ? defect(filter, null) : checkReply(filter, r);
    }

    /** {@code filter}'s response hook threw {@code e}. */
    FilterResult responseThrew(HttpFilter filter, RuntimeException e) {
        return defect(filter, e);
    }

    /**
     * Runs the response hooks of the chains that ran, route's then listener's, each in reverse;
     * returns at once when none ran.
     *
     * @return {@code CONTINUE}, or {@code RESPONDED} when a filter replaced the response with
     *     {@link #reply()} (a filter that threw or returned {@code PENDING} makes that a 500)
     */
    public FilterResult runResponse(HttpResponseHead response) {
        if (first == null) {
            return FilterResult.CONTINUE;
        }
        this.response = response;
        responseBytes.reset(response);
        try {
            FilterResult r = second == null ? FilterResult.CONTINUE : runResponse(second);
            return r == FilterResult.CONTINUE ? runResponse(first) : r;
        } finally {
            this.response = null;
            responseBytes.reset(null);
        }
    }

    private FilterResult runResponse(FilterChain chain) {
        return chain.runner().runResponse(this);
    }

    /** The local answer after {@code RESPONDED}, or null. */
    public LocalReply reply() {
        return reply;
    }

    /** The request's header edits, or null when no filter made any. */
    public HeaderEdits requestEdits() {
        return requestEdits == null || requestEdits.isEmpty() ? null : requestEdits;
    }

    /** The response's header edits, or null when no filter made any. */
    public HeaderEdits responseEdits() {
        return responseEdits == null || responseEdits.isEmpty() ? null : responseEdits;
    }

    private FilterResult checkReply(HttpFilter filter, FilterResult r) {
        if (reply == null) {
            return defect(filter, null); // RESPONDED without respond(): nothing to answer with
        }
        return r;
    }

    private FilterResult defect(HttpFilter filter, RuntimeException e) {
        // A bug in a filter, not hostile input: worth a warning, answered generically.
        log.warn("filter {} failed on {}; answering 500", filter.name(), head, e);
        reply = FILTER_FAILED;
        return FilterResult.RESPONDED;
    }

    // ---- FilterContext -------------------------------------------------------------------------

    @Override
    public boolean methodIs(AsciiString method) {
        return head.methodLength() == method.length() && requestBytes.regionEquals(0, method);
    }

    @Override
    public String method() {
        return head.method();
    }

    @Override
    public boolean pathStartsWith(AsciiString prefix) {
        int n = prefix.length();
        if (normalizedPath != null) {
            return normalizedPath.length >= n
                    && AsciiWords.equals(normalizedPath, 0, prefix.array(), prefix.arrayOffset(), n);
        }
        if (head.pathLength() == 0) {
            return n == 0 || (n == 1 && prefix.byteAt(0) == '/');
        }
        return head.pathLength() >= n && requestBytes.regionEquals(head.pathOffset(), prefix);
    }

    @Override
    public String path() {
        if (normalizedPath != null) {
            return new String(normalizedPath, StandardCharsets.ISO_8859_1);
        }
        return head.pathLength() == 0 ? "/"
                : head.buffer().toString(head.pathOffset(), head.pathLength(), StandardCharsets.ISO_8859_1);
    }

    @Override
    public String query() {
        return head.queryOffset() < 0 ? null : head.buffer().toString(head.queryOffset() + 1,
                head.queryLength() - 1, StandardCharsets.ISO_8859_1);
    }

    @Override
    public InetAddress clientAddress() {
        return client;
    }

    @Override
    public String routeName() {
        return routeName;
    }

    @Override
    public boolean hasRequestHeader(AsciiString name) {
        return has(requestBytes, requestEdits, name);
    }

    @Override
    public boolean requestHeaderEquals(AsciiString name, AsciiString value) {
        int i = requestEdits != null && requestEdits.replaces(name) ? -1 : requestBytes.find(name);
        if (i < 0) {
            AsciiString edited = requestEdits == null ? null : requestEdits.firstValue(name);
            return edited != null && edited.contentEquals(value);
        }
        return head.valueLength(i) == value.length() && requestBytes.regionEquals(head.valueOffset(i), value);
    }

    @Override
    public String requestHeader(CharSequence name) {
        return value(head, requestBytes, requestEdits, new AsciiString(name));
    }

    @Override
    public void setRequestHeader(AsciiString name, AsciiString value) {
        requestEditsForWrite().set(name, value);
    }

    @Override
    public void addRequestHeader(AsciiString name, AsciiString value) {
        requestEditsForWrite().add(name, value);
    }

    @Override
    public void removeRequestHeader(AsciiString name) {
        requestEditsForWrite().remove(name);
    }

    @Override
    public int responseStatus() {
        return response().status();
    }

    @Override
    public boolean hasResponseHeader(AsciiString name) {
        response();
        return has(responseBytes, responseEdits, name);
    }

    @Override
    public String responseHeader(CharSequence name) {
        return value(response(), responseBytes, responseEdits, new AsciiString(name));
    }

    @Override
    public void setResponseHeader(AsciiString name, AsciiString value) {
        responseEditsForWrite().set(name, value);
    }

    @Override
    public void addResponseHeader(AsciiString name, AsciiString value) {
        responseEditsForWrite().add(name, value);
    }

    @Override
    public void removeResponseHeader(AsciiString name) {
        responseEditsForWrite().remove(name);
    }

    @Override
    public <T> T metadata(MetadataKey<T> key) {
        return metadata.get(key);
    }

    @Override
    public <T> void putMetadata(MetadataKey<T> key, T value) {
        metadata.put(key, value);
    }

    @Override
    public FilterResult respond(LocalReply reply) {
        if (reply == null) {
            throw new IllegalArgumentException("reply: null (expected: a LocalReply)");
        }
        this.reply = reply;
        return FilterResult.RESPONDED;
    }

    @Override
    public EventExecutor executor() {
        return executor;
    }

    @Override
    public void resume(FilterResult result) {
        if (!executor.inEventLoop()) {
            executor.execute(() -> resume(result));
            return;
        }
        if (!active || !pending) {
            return; // the request ended (client gone, timeout) or this wait was already resumed
        }
        pending = false;
        FilterResult r;
        if (result == FilterResult.CONTINUE) {
            index++;
            r = continueRequest();
        } else if (result == FilterResult.RESPONDED) {
            r = checkReply(running().get(index), result);
        } else {
            r = defect(running().get(index), null);
        }
        if (r != FilterResult.PENDING) {
            continuation.onRequestFiltersResumed(r);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    private HeaderEdits requestEditsForWrite() {
        if (requestEdits == null) {
            requestEdits = HeaderEdits.forRequest();
        }
        return requestEdits;
    }

    private HeaderEdits responseEditsForWrite() {
        if (responseEdits == null) {
            responseEdits = HeaderEdits.forResponse();
        }
        return responseEdits;
    }

    private HttpResponseHead response() {
        if (response == null) {
            throw new IllegalStateException("response: none yet (expected: called from a response hook)");
        }
        return response;
    }

    private static boolean has(HeadBytes h, HeaderEdits edits, AsciiString name) {
        if (edits != null) {
            if (edits.replaces(name)) {
                return edits.firstValue(name) != null;
            }
            if (edits.firstValue(name) != null) {
                return true;
            }
        }
        return h.find(name) >= 0;
    }

    private static String value(HttpHead h, HeadBytes bytes, HeaderEdits edits, AsciiString name) {
        if (edits != null && edits.replaces(name)) {
            AsciiString v = edits.firstValue(name);
            return v == null ? null : v.toString();
        }
        int i = bytes.find(name);
        if (i >= 0) {
            return h.headerValue(i);
        }
        AsciiString added = edits == null ? null : edits.firstValue(name);
        return added == null ? null : added.toString();
    }
}
