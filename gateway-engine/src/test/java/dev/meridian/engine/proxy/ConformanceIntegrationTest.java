package dev.meridian.engine.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.config.ClusterSpec;
import dev.meridian.engine.config.EndpointSpec;
import dev.meridian.engine.config.RouteSpec;
import dev.meridian.engine.testing.RawHttp;
import dev.meridian.engine.testing.TestGateway;
import dev.meridian.engine.testing.TestOrigin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The RFC 9112 / RFC 9110 conformance table, run against a real gateway over raw sockets: every
 * request case states its bytes, the expected status (or acceptance) and the rule, and checks what
 * the origin received — nothing for a rejection, exactly one well-formed request for an acceptance.
 * Response cases put a raw origin behind the gateway that answers with chosen malformed bytes: the
 * client must get 502 and the upstream connection must be closed, never reused.
 */
class ConformanceIntegrationTest {

    static final int ACCEPT = 0;

    /**
     * One row: {@code expected} is a status or {@link #ACCEPT}; for acceptances, the request-target and
     * body size the origin must see. {@code bodyPhase} marks a rejection found in the body after a
     * valid head (the head may already be on its way upstream; no complete request may arrive).
     */
    record Case(String name, String raw, int expected, String rule, String originUri, long originBody,
                boolean bodyPhase) {
        @Override
        public String toString() {
            return name + " -> " + (expected == ACCEPT ? "ACCEPT" : expected) + " (" + rule + ")";
        }
    }

    static TestOrigin origin;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        origin = TestOrigin.start("conf");
        gateway = TestGateway.forOrigins(origin);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    // ---- the table ---------------------------------------------------------------------------

    private static final String H = "Host: h\r\n";

    private static Case ok(String name, String raw, String rule, String uri, long body) {
        return new Case(name, raw, ACCEPT, rule, uri, body, false);
    }

    private static Case no(String name, String raw, int status, String rule) {
        return new Case(name, raw, status, rule, null, 0, false);
    }

    private static Case noBody(String name, String raw, String rule) {
        return new Case(name, raw, 400, rule, null, 0, true);
    }

    private static String get(String target, String fields) {
        return "GET " + target + " HTTP/1.1\r\n" + fields + "\r\n";
    }

    private static String post(String fields, String body) {
        return "POST /p HTTP/1.1\r\n" + H + fields + "\r\n" + body;
    }

    private static String chunked(String body) {
        return post("Transfer-Encoding: chunked\r\n", body);
    }

    static List<Case> requestCases() {
        List<Case> c = new ArrayList<>();
        // ---- accepted: RFC 9112 §3 request line and target forms
        c.add(ok("simple GET", get("/", H), "RFC 9112 §3", "/", 0));
        c.add(ok("path and query", get("/a/b?x=1&y=2", H), "RFC 9112 §3.2.1", "/a/b?x=1&y=2", 0));
        c.add(ok("percent-encoded path", get("/caf%C3%A9?q=%20", H), "RFC 3986 §2.1", "/caf%C3%A9?q=%20", 0));
        c.add(ok("sub-delims in path", get("/a;b=c/d,e!f$g'(h)*+&=", H), "RFC 3986 §3.3", "/a;b=c/d,e!f$g'(h)*+&=", 0));
        c.add(ok("HEAD", "HEAD /h HTTP/1.1\r\n" + H + "\r\n", "RFC 9110 §9.3.2", "/h", 0));
        c.add(ok("DELETE", "DELETE /d HTTP/1.1\r\n" + H + "\r\n", "RFC 9110 §9.3.5", "/d", 0));
        c.add(ok("OPTIONS path", "OPTIONS /o HTTP/1.1\r\n" + H + "\r\n", "RFC 9110 §9.3.7", "/o", 0));
        c.add(ok("extension method token", "PURGE /x HTTP/1.1\r\n" + H + "\r\n", "RFC 9110 §9.1", "/x", 0));
        c.add(ok("absolute-form", get("http://h/abs?q", H), "RFC 9112 §3.2.2", "/abs?q", 0));
        c.add(ok("absolute-form upper-case scheme", get("HTTP://h/abs", H), "RFC 3986 §3.1", "/abs", 0));
        c.add(ok("absolute-form empty path", get("http://h", H), "RFC 9112 §3.2.2", "/", 0));
        c.add(ok("absolute-form host case differs", get("http://H/x", "Host: h\r\n"), "RFC 3986 §6.2.2.1", "/x", 0));
        c.add(ok("absolute-form with port", get("http://h:8080/x", "Host: h:8080\r\n"), "RFC 9112 §3.2", "/x", 0));
        c.add(ok("HTTP/1.0 without Host", "GET /ten HTTP/1.0\r\n\r\n", "RFC 9112 §3.2", "/ten", 0));
        c.add(ok("HTTP/1.0 with Host", "GET /ten HTTP/1.0\r\n" + H + "\r\n", "RFC 9112 §3.2", "/ten", 0));
        c.add(ok("one leading empty line", "\r\n" + get("/", H), "RFC 9112 §2.2", "/", 0));
        c.add(ok("four leading empty lines", "\r\n\r\n\r\n\r\n" + get("/", H), "RFC 9112 §2.2", "/", 0));
        // ---- accepted: RFC 9112 §5 field lines
        c.add(ok("no OWS after colon", get("/", "Host:h\r\n"), "RFC 9112 §5.1", "/", 0));
        c.add(ok("OWS both sides of value", get("/", "Host: h\r\nX-A: \t v \t\r\n"), "RFC 9112 §5.1", "/", 0));
        c.add(ok("empty field value", get("/", H + "X-Empty:\r\n"), "RFC 9110 §5.5", "/", 0));
        c.add(ok("obs-text in value", get("/", H + "X-Name: caf\u00e9\r\n"), "RFC 9110 §5.5", "/", 0));
        c.add(ok("field name case-insensitive", get("/", "hOsT: h\r\n"), "RFC 9110 §5.1", "/", 0));
        c.add(ok("token chars in field name", get("/", H + "X!#$%&'*+-.^_`|~1: v\r\n"), "RFC 9110 §5.6.2", "/", 0));
        c.add(ok("99 fields", get("/", H + "X-F: v\r\n".repeat(98)), "RFC 9112 §5 (limit 100)", "/", 0));
        c.add(ok("Host with port", get("/", "Host: h:8080\r\n"), "RFC 9110 §7.2", "/", 0));
        c.add(ok("Host IPv6 literal", get("/", "Host: [::1]:80\r\n"), "RFC 3986 §3.2.2", "/", 0));
        c.add(ok("empty Host", get("/", "Host:\r\n"), "RFC 9110 §7.2", "/", 0));
        c.add(ok("Connection options stripped", get("/", H + "Connection: X-Hop\r\nX-Hop: 1\r\n"), "RFC 9110 §7.6.1", "/", 0));
        c.add(ok("Proxy-Authorization consumed", get("/", H + "Proxy-Authorization: Basic eA==\r\n"), "RFC 9110 §11.7.2", "/", 0));
        // ---- accepted: RFC 9112 §6 framing
        c.add(ok("Content-Length body", post("Content-Length: 5\r\n", "hello"), "RFC 9112 §6.2", "/p", 5));
        c.add(ok("Content-Length 0", post("Content-Length: 0\r\n", ""), "RFC 9112 §6.2", "/p", 0));
        c.add(ok("Content-Length leading zeros", post("Content-Length: 005\r\n", "hello"), "RFC 9110 §8.6", "/p", 5));
        c.add(ok("Content-Length with OWS", post("Content-Length:  5 \r\n", "hello"), "RFC 9112 §5.1", "/p", 5));
        c.add(ok("chunked", chunked("5\r\nhello\r\n0\r\n\r\n"), "RFC 9112 §7.1", "/p", 5));
        c.add(ok("chunked upper-case coding", post("Transfer-Encoding: CHUNKED\r\n", "3\r\nabc\r\n0\r\n\r\n"), "RFC 9112 §7", "/p", 3));
        c.add(ok("chunk size upper-case hex", chunked("A\r\n0123456789\r\n0\r\n\r\n"), "RFC 9112 §7.1", "/p", 10));
        c.add(ok("chunk size leading zeros", chunked("0003\r\nabc\r\n0\r\n\r\n"), "RFC 9112 §7.1", "/p", 3));
        c.add(ok("chunk extensions", chunked("3;a=b;c=\"d;e\"\r\nabc\r\n0;z\r\n\r\n"), "RFC 9112 §7.1.1", "/p", 3));
        c.add(ok("chunk extension after BWS", chunked("3 ;a\r\nabc\r\n0\r\n\r\n"), "RFC 9112 §7.1.1", "/p", 3));
        c.add(ok("chunked with trailer", chunked("3\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n"), "RFC 9112 §7.1.2", "/p", 3));
        c.add(ok("chunked several chunks", chunked("1\r\na\r\n2\r\nbc\r\n3\r\ndef\r\n0\r\n\r\n"), "RFC 9112 §7.1", "/p", 6));

        // ---- rejected: RFC 9112 §3 request line
        c.add(no("lower-case version", get("/", H).replace("HTTP/1.1", "http/1.1"), 400, "RFC 9112 §2.3"));
        c.add(no("version HTTP/1.2", get("/", H).replace("HTTP/1.1", "HTTP/1.2"), 505, "RFC 9110 §15.6.6"));
        c.add(no("version HTTP/2.0", get("/", H).replace("HTTP/1.1", "HTTP/2.0"), 505, "RFC 9110 §15.6.6"));
        c.add(no("version HTTP/0.9", get("/", H).replace("HTTP/1.1", "HTTP/0.9"), 505, "RFC 9110 §15.6.6"));
        c.add(no("version HTTP/1.10", get("/", H).replace("HTTP/1.1", "HTTP/1.10"), 400, "RFC 9112 §2.3"));
        c.add(no("version missing", "GET /\r\n" + H + "\r\n", 400, "RFC 9112 §3"));
        c.add(no("HTTP/0.9 simple request", "GET /\r\n\r\n", 400, "RFC 9112 §3"));
        c.add(no("two SP after method", "GET  / HTTP/1.1\r\n" + H + "\r\n", 400, "RFC 9112 §3"));
        c.add(no("two SP before version", "GET /  HTTP/1.1\r\n" + H + "\r\n", 400, "RFC 9112 §3"));
        c.add(no("HTAB as separator", "GET\t/ HTTP/1.1\r\n" + H + "\r\n", 400, "RFC 9112 §3"));
        c.add(no("leading SP", " GET / HTTP/1.1\r\n" + H + "\r\n", 400, "RFC 9112 §3"));
        c.add(no("trailing SP", "GET / HTTP/1.1 \r\n" + H + "\r\n", 400, "RFC 9112 §3"));
        c.add(no("method with separator", "GE(T / HTTP/1.1\r\n" + H + "\r\n", 400, "RFC 9110 §9.1"));
        c.add(no("method with NUL", "GE\u0000T / HTTP/1.1\r\n" + H + "\r\n", 400, "RFC 9110 §9.1"));
        c.add(no("method with obs-text", "G\u00c9T / HTTP/1.1\r\n" + H + "\r\n", 400, "RFC 9110 §9.1"));
        c.add(no("empty target", "GET  HTTP/1.1\r\n" + H + "\r\n", 400, "RFC 9112 §3.2"));
        c.add(no("target with CTL", get("/a\u0001b", H), 400, "RFC 9112 §3.2"));
        c.add(no("target with DEL", get("/a\u007fb", H), 400, "RFC 9112 §3.2"));
        c.add(no("target with obs-text", get("/caf\u00e9", H), 400, "RFC 3986 §2"));
        c.add(no("target with fragment", get("/a#frag", H), 400, "RFC 9112 §3.2"));
        c.add(no("target with bare CR", "GET /a\rb HTTP/1.1\r\n" + H + "\r\n", 400, "RFC 9112 §2.2"));
        c.add(no("relative target", get("a/b", H), 400, "RFC 9112 §3.2"));
        c.add(no("asterisk with GET", get("*", H), 400, "RFC 9112 §3.2.4"));
        c.add(no("authority-form with GET", get("h:80", H), 400, "RFC 9112 §3.2.3"));
        c.add(no("CONNECT", "CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n", 501, "RFC 9110 §9.3.6"));
        c.add(no("ftp scheme", get("ftp://h/x", H), 400, "RFC 9112 §3.2.2"));
        c.add(no("scheme without authority", get("http:/x", H), 400, "RFC 9112 §3.2.2"));
        c.add(no("empty authority", get("http:///x", H), 400, "RFC 9112 §3.2.2"));
        c.add(no("userinfo in authority", get("http://good@h/", H), 400, "RFC 9110 §4.2.4"));
        c.add(no("authority differs from Host", get("http://good/", "Host: evil\r\n"), 400, "RFC 9112 §3.2.2"));
        c.add(no("authority port differs from Host", get("http://h:81/", H), 400, "RFC 9112 §3.2"));
        c.add(no("authority with backslash", get("http://h\\evil/", H), 400, "RFC 3986 §3.2.2"));
        c.add(no("authority with quote", get("http://h\"/", H), 400, "RFC 3986 §3.2.2"));
        c.add(no("five leading empty lines", "\r\n".repeat(5) + get("/", H), 400, "RFC 9112 §2.2"));
        c.add(no("request line over 8 KiB", get("/" + "a".repeat(8200), H), 414, "RFC 9112 §3"));
        // ---- rejected: RFC 9112 §2.2 line endings
        c.add(no("bare LF after request line", "GET / HTTP/1.1\n" + H + "\r\n", 400, "RFC 9112 §2.2"));
        c.add(no("bare LF after field", "GET / HTTP/1.1\r\nHost: h\n\r\n", 400, "RFC 9112 §2.2"));
        c.add(no("bare LF ends head", "GET / HTTP/1.1\r\n" + H + "\n", 400, "RFC 9112 §2.2"));
        c.add(no("LF-only message", "GET / HTTP/1.1\nHost: h\n\n", 400, "RFC 9112 §2.2"));
        c.add(no("bare CR in field value", get("/", H + "X-A: a\rb\r\n"), 400, "RFC 9112 §2.2"));
        c.add(no("bare CR as line ending", "GET / HTTP/1.1\rHost: h\r\n\r\n", 400, "RFC 9112 §2.2"));
        c.add(no("CR CR LF", "GET / HTTP/1.1\r\r\n" + H + "\r\n", 400, "RFC 9112 §2.2"));
        // ---- rejected: RFC 9112 §5 field syntax (header injection, smuggling via folding)
        c.add(no("obs-fold SP", get("/", H + "X-A: 1\r\n 2\r\n"), 400, "RFC 9112 §5.2"));
        c.add(no("obs-fold HTAB", get("/", H + "X-A: 1\r\n\t2\r\n"), 400, "RFC 9112 §5.2"));
        c.add(no("fold before first field", "GET / HTTP/1.1\r\n X-A: 1\r\n" + H + "\r\n", 400, "RFC 9112 §5.2"));
        c.add(no("folded Transfer-Encoding", post("Transfer-Encoding:\r\n chunked\r\n", "0\r\n\r\n"), 400, "RFC 9112 §5.2"));
        c.add(no("SP before colon", get("/", "Host : h\r\n"), 400, "RFC 9112 §5.1"));
        c.add(no("HTAB before colon", get("/", H + "X-A\t: 1\r\n"), 400, "RFC 9112 §5.1"));
        c.add(no("SP before colon on Transfer-Encoding", post("Transfer-Encoding : chunked\r\n", "0\r\n\r\n"), 400, "RFC 9112 §5.1"));
        c.add(no("SP before colon on Content-Length", post("Content-Length : 5\r\n", "hello"), 400, "RFC 9112 §5.1"));
        c.add(no("empty field name", get("/", H + ": v\r\n"), 400, "RFC 9110 §5.1"));
        c.add(no("separator in field name", get("/", H + "X(A): v\r\n"), 400, "RFC 9110 §5.6.2"));
        c.add(no("slash in field name", get("/", H + "X/A: v\r\n"), 400, "RFC 9110 §5.6.2"));
        c.add(no("NUL in field name", get("/", H + "X\u0000A: v\r\n"), 400, "RFC 9110 §5.6.2"));
        c.add(no("obs-text in field name", get("/", H + "X\u00e9: v\r\n"), 400, "RFC 9110 §5.6.2"));
        c.add(no("field without colon", get("/", H + "X-A\r\n"), 400, "RFC 9112 §5"));
        c.add(no("NUL in value", get("/", H + "X-A: a\u0000b\r\n"), 400, "RFC 9110 §5.5"));
        c.add(no("NUL at end of value", get("/", H + "X-A: a\u0000\r\n"), 400, "RFC 9110 §5.5"));
        c.add(no("CTL 0x01 in value", get("/", H + "X-A: a\u0001b\r\n"), 400, "RFC 9110 §5.5"));
        c.add(no("CTL 0x1F in value", get("/", H + "X-A: a\u001fb\r\n"), 400, "RFC 9110 §5.5"));
        c.add(no("DEL in value", get("/", H + "X-A: a\u007fb\r\n"), 400, "RFC 9110 §5.5"));
        c.add(no("vertical tab in value", get("/", H + "X-A: a\u000bb\r\n"), 400, "RFC 9110 §5.5"));
        c.add(no("form feed in value", get("/", H + "X-A: a\u000cb\r\n"), 400, "RFC 9110 §5.5"));
        c.add(no("101 fields", get("/", H + "X-F: v\r\n".repeat(100)), 431, "RFC 6585 §5"));
        c.add(no("header section over 64 KiB", get("/", H + ("X-Big: " + "v".repeat(8000) + "\r\n").repeat(9)), 431, "RFC 6585 §5"));
        // ---- rejected: RFC 9112 §3.2 Host
        c.add(no("missing Host", get("/", ""), 400, "RFC 9112 §3.2"));
        c.add(no("two Hosts", get("/", "Host: a\r\nHost: b\r\n"), 400, "RFC 9112 §3.2"));
        c.add(no("two identical Hosts", get("/", "Host: h\r\nHost: h\r\n"), 400, "RFC 9112 §3.2"));
        c.add(no("two Hosts in HTTP/1.0", "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 400, "RFC 9112 §3.2"));
        c.add(no("Host with path", get("/", "Host: h/x\r\n"), 400, "RFC 9110 §7.2"));
        c.add(no("Host with userinfo", get("/", "Host: u@h\r\n"), 400, "RFC 9110 §7.2"));
        c.add(no("Host with SP", get("/", "Host: h x\r\n"), 400, "RFC 9110 §7.2"));
        c.add(no("Host with backslash", get("/", "Host: h\\x\r\n"), 400, "RFC 9110 §7.2"));
        c.add(no("Host list", get("/", "Host: a, b\r\n"), 400, "RFC 9110 §7.2"));
        // ---- rejected: RFC 9112 §6 framing (request smuggling)
        c.add(no("CL.TE", post("Content-Length: 6\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\nG"), 400, "RFC 9112 §6.3 rule 3"));
        c.add(no("TE.CL", post("Transfer-Encoding: chunked\r\nContent-Length: 3\r\n", "8\r\nSMUGGLED\r\n0\r\n\r\n"), 400, "RFC 9112 §6.3 rule 3"));
        c.add(no("CL.TE with CL 0", post("Content-Length: 0\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), 400, "RFC 9112 §6.3 rule 3"));
        c.add(no("two equal Content-Length", post("Content-Length: 5\r\nContent-Length: 5\r\n", "hello"), 400, "RFC 9112 §6.3 rule 5"));
        c.add(no("two differing Content-Length", post("Content-Length: 5\r\nContent-Length: 6\r\n", "hello!"), 400, "RFC 9112 §6.3 rule 5"));
        c.add(no("Content-Length list", post("Content-Length: 5, 5\r\n", "hello"), 400, "RFC 9110 §8.6"));
        c.add(no("Content-Length plus sign", post("Content-Length: +5\r\n", "hello"), 400, "RFC 9110 §8.6"));
        c.add(no("Content-Length negative", post("Content-Length: -1\r\n", ""), 400, "RFC 9110 §8.6"));
        c.add(no("Content-Length hex", post("Content-Length: 0x5\r\n", "hello"), 400, "RFC 9110 §8.6"));
        c.add(no("Content-Length inner SP", post("Content-Length: 1 0\r\n", "hello"), 400, "RFC 9110 §8.6"));
        c.add(no("Content-Length decimal point", post("Content-Length: 5.0\r\n", "hello"), 400, "RFC 9110 §8.6"));
        c.add(no("Content-Length empty", post("Content-Length:\r\n", ""), 400, "RFC 9110 §8.6"));
        c.add(no("Content-Length overflow", post("Content-Length: 9223372036854775808\r\n", ""), 400, "RFC 9110 §8.6"));
        c.add(no("Content-Length 2^64+5", post("Content-Length: 18446744073709551621\r\n", "hello"), 400, "RFC 9110 §8.6"));
        c.add(no("TE xchunked", post("Transfer-Encoding: xchunked\r\n", "0\r\n\r\n"), 400, "RFC 9112 §6.1"));
        c.add(no("TE chunked-false", post("Transfer-Encoding: chunked-false\r\n", "0\r\n\r\n"), 400, "RFC 9112 §6.1"));
        c.add(no("TE quoted", post("Transfer-Encoding: \"chunked\"\r\n", "0\r\n\r\n"), 400, "RFC 9112 §6.1"));
        c.add(no("TE with parameter", post("Transfer-Encoding: chunked;q=1\r\n", "0\r\n\r\n"), 400, "RFC 9112 §6.1"));
        c.add(no("TE gzip, chunked", post("Transfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n"), 400, "RFC 9112 §6.1"));
        c.add(no("TE chunked, chunked", post("Transfer-Encoding: chunked, chunked\r\n", "0\r\n\r\n"), 400, "RFC 9112 §6.1"));
        c.add(no("TE chunked, identity", post("Transfer-Encoding: chunked, identity\r\n", "0\r\n\r\n"), 400, "RFC 9112 §6.1"));
        c.add(no("TE trailing comma", post("Transfer-Encoding: chunked,\r\n", "0\r\n\r\n"), 400, "RFC 9112 §6.1"));
        c.add(no("TE identity", post("Transfer-Encoding: identity\r\n", ""), 400, "RFC 9112 §6.1"));
        c.add(no("TE gzip", post("Transfer-Encoding: gzip\r\n", ""), 400, "RFC 9112 §6.1"));
        c.add(no("TE empty", post("Transfer-Encoding:\r\n", ""), 400, "RFC 9112 §6.1"));
        c.add(no("TE two fields", post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), 400, "RFC 9112 §6.1"));
        c.add(no("TE chunked then identity field", post("Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n", "0\r\n\r\n"), 400, "RFC 9112 §6.1"));
        c.add(no("TE vertical tab", post("Transfer-Encoding: \u000bchunked\r\n", "0\r\n\r\n"), 400, "RFC 9110 §5.5"));
        c.add(no("TE NUL", post("Transfer-Encoding: chunked\u0000\r\n", "0\r\n\r\n"), 400, "RFC 9110 §5.5"));
        c.add(no("TE in HTTP/1.0", "POST /p HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "RFC 9112 §6.1"));
        c.add(no("unknown expectation", post("Expect: 200-ok\r\nContent-Length: 0\r\n", ""), 417, "RFC 9110 §10.1.1"));
        // ---- rejected in the body: RFC 9112 §7.1 chunked framing
        c.add(noBody("chunk size not hex", chunked("zz\r\n"), "RFC 9112 §7.1"));
        c.add(noBody("chunk size empty", chunked("\r\n"), "RFC 9112 §7.1"));
        c.add(noBody("chunk size negative", chunked("-5\r\n"), "RFC 9112 §7.1"));
        c.add(noBody("chunk size 0x prefix", chunked("0x5\r\nhello\r\n0\r\n\r\n"), "RFC 9112 §7.1"));
        c.add(noBody("chunk size with trailing SP", chunked("5 \r\nhello\r\n0\r\n\r\n"), "RFC 9112 §7.1"));
        c.add(noBody("chunk size then junk", chunked("5 x\r\nhello\r\n0\r\n\r\n"), "RFC 9112 §7.1.1"));
        c.add(noBody("chunk size 17 digits", chunked("00000000000000005\r\nhello\r\n0\r\n\r\n"), "RFC 9112 §7.1"));
        c.add(noBody("chunk size overflow", chunked("ffffffffffffffff1\r\nx\r\n0\r\n\r\n"), "RFC 9112 §7.1"));
        c.add(noBody("chunk size above Long.MAX", chunked("8000000000000000\r\nx\r\n"), "RFC 9112 §7.1"));
        c.add(noBody("chunk ext bare CR", chunked("5;a\rb\r\nhello\r\n0\r\n\r\n"), "RFC 9112 §7.1.1"));
        c.add(noBody("chunk ext NUL", chunked("5;a\u0000\r\nhello\r\n0\r\n\r\n"), "RFC 9112 §7.1.1"));
        c.add(noBody("chunk line bare LF", chunked("5\nhello\r\n0\r\n\r\n"), "RFC 9112 §7.1"));
        c.add(noBody("chunk data too long", chunked("3\r\nabcd\r\n0\r\n\r\n"), "RFC 9112 §7.1"));
        c.add(noBody("chunk data LF only", chunked("3\r\nabc\n0\r\n\r\n"), "RFC 9112 §7.1"));
        c.add(noBody("last chunk bare LF", chunked("0\n\n"), "RFC 9112 §7.1"));
        c.add(noBody("Content-Length in trailer", chunked("0\r\nContent-Length: 5\r\n\r\n"), "RFC 9110 §6.5.1"));
        c.add(noBody("Transfer-Encoding in trailer", chunked("0\r\nTransfer-Encoding: chunked\r\n\r\n"), "RFC 9110 §6.5.1"));
        c.add(noBody("Host in trailer", chunked("0\r\nHost: evil\r\n\r\n"), "RFC 9110 §6.5.1"));
        c.add(noBody("Connection in trailer", chunked("0\r\nConnection: close\r\n\r\n"), "RFC 9110 §7.6.1"));
        c.add(noBody("Upgrade in trailer", chunked("0\r\nUpgrade: h2c\r\n\r\n"), "RFC 9110 §7.6.1"));
        c.add(noBody("Proxy-Authorization in trailer", chunked("0\r\nProxy-Authorization: Basic eA==\r\n\r\n"), "RFC 9110 §11.7.2"));
        c.add(noBody("obs-fold in trailer", chunked("0\r\nX-T: a\r\n b\r\n\r\n"), "RFC 9112 §5.2"));
        c.add(noBody("NUL in trailer", chunked("0\r\nX-T: a\u0000\r\n\r\n"), "RFC 9110 §5.5"));
        c.add(noBody("SP before colon in trailer", chunked("0\r\nX-T : a\r\n\r\n"), "RFC 9112 §5.1"));
        return c;
    }

    static Stream<Case> requests() {
        return requestCases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void requestCase(Case c) throws Exception {
        int connectionsBefore = origin.connections();
        origin.received.clear();
        try (RawHttp client = new RawHttp(gateway.port())) {
            client.send(c.raw());
            boolean head = c.raw().stripLeading().startsWith("HEAD ");
            RawHttp.Response r = client.read(head);
            while (r.status() / 100 == 1) {
                r = client.read(head);
            }
            if (c.expected() == ACCEPT) {
                assertThat(r.status()).as("status").isEqualTo(200);
                assertThat(origin.received).as("what the origin received").hasSize(1);
                TestOrigin.Received got = origin.received.peek();
                assertThat(got.uri()).isEqualTo(c.originUri());
                assertThat(got.method()).isEqualTo(c.raw().stripLeading().substring(0, c.raw().stripLeading().indexOf(' ')));
                assertThat(got.bodyBytes()).isEqualTo(c.originBody());
                // Well-formed: one Host, rebuilt forwarding fields, no hop-by-hop or proxy credentials.
                assertThat(got.headers().get("host")).hasSize(1);
                assertThat(got.headers()).doesNotContainKeys("proxy-authorization", "connection", "x-hop", "expect");
            } else {
                assertThat(r.status()).as("status").isEqualTo(c.expected());
                assertThat(r.header("connection")).isEqualTo("close");
                assertThat(client.closedByPeer()).as("connection closed after rejection").isTrue();
                assertThat(origin.received).as("nothing reaches the origin").isEmpty();
                if (!c.bodyPhase()) {
                    assertThat(origin.connections()).as("no upstream connection opened").isEqualTo(connectionsBefore);
                }
            }
        }
    }

    // ---- response side -----------------------------------------------------------------------

    static Stream<String[]> responses() {
        return Stream.of(
                new String[] {"status line HTTP/2.0", "HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n"},
                new String[] {"status line lower-case", "http/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"},
                new String[] {"status code two digits", "HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n"},
                new String[] {"status code 600", "HTTP/1.1 600 X\r\nContent-Length: 0\r\n\r\n"},
                new String[] {"status code not digits", "HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n"},
                new String[] {"status line bare CR", "HTTP/1.1 200 O\rK\r\nContent-Length: 0\r\n\r\n"},
                new String[] {"status line bare LF", "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n"},
                new String[] {"not HTTP", "SSH-2.0-OpenSSH_9.0\r\n\r\n"},
                new String[] {"CL and TE", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"},
                new String[] {"differing Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc"},
                new String[] {"Content-Length list", "HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok"},
                new String[] {"TE not chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n"},
                new String[] {"TE chunked, chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n"},
                new String[] {"TE in HTTP/1.0", "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"},
                new String[] {"obs-fold", "HTTP/1.1 200 OK\r\nX-A: 1\r\n 2\r\nContent-Length: 0\r\n\r\n"},
                new String[] {"NUL in value", "HTTP/1.1 200 OK\r\nX-A: a\u0000b\r\nContent-Length: 0\r\n\r\n"},
                new String[] {"CTL in value", "HTTP/1.1 200 OK\r\nX-A: a\u0001b\r\nContent-Length: 0\r\n\r\n"},
                new String[] {"response splitting bare LF", "HTTP/1.1 200 OK\r\nSet-Cookie: a\nX-Injected: 1\r\nContent-Length: 0\r\n\r\n"},
                new String[] {"response splitting bare CR", "HTTP/1.1 200 OK\r\nSet-Cookie: a\rX-Injected: 1\r\nContent-Length: 0\r\n\r\n"},
                new String[] {"whitespace before colon", "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n"},
                new String[] {"101 never requested", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"}
        // Errors inside a response body (chunk framing) come after the head was forwarded, so the
        // client sees a truncated response rather than a 502; Http1ResponseDecoderTest covers them.
        );
    }

    @ParameterizedTest(name = "{0} -> 502, upstream closed")
    @MethodSource("responses")
    void malformedResponseGets502AndItsConnectionIsNeverReused(String name, String response) throws Exception {
        try (RawOrigin raw = new RawOrigin();
             TestGateway gw = TestGateway.start(TestGateway.snapshot(
                     ClusterSpec.of("raw", List.of(EndpointSpec.of("127.0.0.1:" + raw.port()))),
                     RouteSpec.prefix("/", "raw")))) {
            raw.next.set(response);
            RawHttp.Response r = RawHttp.exchange(gw.port(), "GET /bad HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.bodyText()).isEqualTo("Bad Gateway\n");
            RawOrigin.Conn bad = raw.conns.get(1);
            assertThat(bad.closed.await(5, TimeUnit.SECONDS)).as("gateway closed the upstream connection").isTrue();

            raw.next.set("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            RawHttp.Response after = RawHttp.exchange(gw.port(), "GET /good HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(after.status()).isEqualTo(200);
            assertThat(bad.requests.get()).as("requests carried by the bad connection").isEqualTo(1);
            assertThat(raw.accepted.get()).as("a fresh upstream connection served the next request").isEqualTo(2);
        }
    }

    /** An origin that answers each request head with whatever bytes {@link #next} holds, and records each connection. */
    static final class RawOrigin implements AutoCloseable {
        static final class Conn {
            final AtomicInteger requests = new AtomicInteger();
            final CountDownLatch closed = new CountDownLatch(1);
        }

        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final AtomicReference<String> next = new AtomicReference<>();
        final AtomicInteger accepted = new AtomicInteger();
        final Map<Integer, Conn> conns = new ConcurrentHashMap<>();

        RawOrigin() throws IOException {
            Thread t = new Thread(this::acceptLoop, "raw-origin");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Conn conn = new Conn();
                    conns.put(accepted.incrementAndGet(), conn);
                    Thread t = new Thread(() -> serve(s, conn), "raw-origin-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void serve(Socket s, Conn conn) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                while (readHead(in)) {
                    conn.requests.incrementAndGet();
                    out.write(next.get().getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
            } catch (IOException reset) {
                // a reset is a close too
            } finally {
                conn.closed.countDown();
            }
        }

        /** Reads up to the empty line; false at EOF. */
        private static boolean readHead(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1) {
                b.write(c);
                byte[] a = b.toByteArray();
                int n = a.length;
                if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
