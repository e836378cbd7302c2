#!/usr/bin/env python3
"""Writes the hand-made seed inputs of every fuzz target into its Jazzer inputs directory.

Run from the fuzz module: python3 seeds/make_seeds.py. Files are named seed-<name>; crash files
that Jazzer writes next to them (crash-<sha1>) are never touched.
"""
import os

BASE = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "dev", "meridian", "fuzz")
H = "Host: h\r\n"

def req(*lines, body=""):
    return "\r\n".join(lines) + "\r\n\r\n" + body

REQUESTS = {
    "get": req("GET / HTTP/1.1", "Host: h"),
    "get-query": req("GET /a/b?x=1&y=%20 HTTP/1.1", "Host: shop.example", "Accept: */*", "User-Agent: curl/8"),
    "http10": req("GET /ten HTTP/1.0"),
    "http10-keepalive": req("GET / HTTP/1.0", "Connection: keep-alive"),
    "post-cl": req("POST /form HTTP/1.1", "Host: h", "Content-Length: 7", body="a=1&b=2"),
    "post-cl-incomplete": req("POST /form HTTP/1.1", "Host: h", "Content-Length: 70", body="a=1"),
    "chunked": req("POST /up HTTP/1.1", "Host: h", "Transfer-Encoding: chunked",
                   body="5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n"),
    "chunked-no-trailer": req("POST /up HTTP/1.1", "Host: h", "Transfer-Encoding: Chunked", body="3\r\nabc\r\n0\r\n\r\n"),
    "pipelined": req("GET /1 HTTP/1.1", "Host: h") + req("GET /2 HTTP/1.1", "Host: h") + req("POST /3 HTTP/1.1", "Host: h", "Content-Length: 2", body="ok"),
    "absolute-form": req("GET http://h/p?q HTTP/1.1", "Host: h"),
    "absolute-form-https-port": req("GET HTTPS://Shop.Example:8443 HTTP/1.1", "Host: shop.example:8443"),
    "asterisk-options": req("OPTIONS * HTTP/1.1", "Host: h"),
    "expect-continue": req("PUT /x HTTP/1.1", "Host: h", "Expect: 100-continue", "Content-Length: 4", body="data"),
    "connection-options": req("GET / HTTP/1.1", "Host: h", "Connection: close, X-Hop", "X-Hop: 1", "Keep-Alive: 5", "TE: trailers", "Upgrade: h2c"),
    "xff": req("GET / HTTP/1.1", "Host: h", "X-Forwarded-For: 1.2.3.4", "X-Forwarded-Proto: https", "Proxy-Authorization: Basic eA=="),
    "leading-empty-lines": "\r\n\r\n" + req("GET / HTTP/1.1", "Host: h"),
    "obs-text-value": req("GET / HTTP/1.1", "Host: h", "X-Name: caf\xe9"),
    # smuggling and injection attempts (all must be rejected)
    "cl-te": req("POST / HTTP/1.1", "Host: h", "Content-Length: 6", "Transfer-Encoding: chunked", body="0\r\n\r\nG"),
    "te-cl": req("POST / HTTP/1.1", "Host: h", "Transfer-Encoding: chunked", "Content-Length: 3", body="8\r\nSMUGGLED\r\n0\r\n\r\n"),
    "te-te-xchunked": req("POST / HTTP/1.1", "Host: h", "Transfer-Encoding: xchunked"),
    "te-te-space": req("POST / HTTP/1.1", "Host: h", "Transfer-Encoding : chunked"),
    "te-te-tab": req("POST / HTTP/1.1", "Host: h", "Transfer-Encoding:\tchunked"),
    "te-te-list": req("POST / HTTP/1.1", "Host: h", "Transfer-Encoding: gzip, chunked"),
    "te-te-two": req("POST / HTTP/1.1", "Host: h", "Transfer-Encoding: chunked", "Transfer-Encoding: identity"),
    "te-http10": req("POST / HTTP/1.0", "Transfer-Encoding: chunked", body="0\r\n\r\n"),
    "te-vtab": req("POST / HTTP/1.1", "Host: h", "Transfer-Encoding: \x0bchunked"),
    "cl-cl": req("POST / HTTP/1.1", "Host: h", "Content-Length: 3", "Content-Length: 4", body="abcd"),
    "cl-list": req("POST / HTTP/1.1", "Host: h", "Content-Length: 3, 3", body="abc"),
    "cl-plus": req("POST / HTTP/1.1", "Host: h", "Content-Length: +3", body="abc"),
    "cl-overflow": req("POST / HTTP/1.1", "Host: h", "Content-Length: 18446744073709551620"),
    "chunk-overflow": req("POST / HTTP/1.1", "Host: h", "Transfer-Encoding: chunked", body="FFFFFFFFFFFFFFFFF1\r\nx\r\n0\r\n\r\n"),
    "chunk-lf-only": req("POST / HTTP/1.1", "Host: h", "Transfer-Encoding: chunked", body="3\nabc\n0\n\n"),
    "chunk-ext-bare-cr": req("POST / HTTP/1.1", "Host: h", "Transfer-Encoding: chunked", body="3;a\rb\r\nabc\r\n0\r\n\r\n"),
    "chunk-size-space": req("POST / HTTP/1.1", "Host: h", "Transfer-Encoding: chunked", body="3 \r\nabc\r\n0\r\n\r\n"),
    "chunk-trailer-cl": req("POST / HTTP/1.1", "Host: h", "Transfer-Encoding: chunked", body="0\r\nContent-Length: 5\r\n\r\n"),
    "chunk-trailer-connection": req("POST / HTTP/1.1", "Host: h", "Transfer-Encoding: chunked", body="0\r\nConnection: close\r\n\r\n"),
    "obs-fold": req("GET / HTTP/1.1", "Host: h", "X-A: 1", " folded"),
    "bare-lf": "GET / HTTP/1.1\nHost: h\n\n",
    "bare-cr": "GET / HTTP/1.1\rHost: h\r\n\r\n",
    "nul-value": req("GET / HTTP/1.1", "Host: h", "X-A: a\x00b"),
    "header-injection": req("GET / HTTP/1.1", "Host: h", "X-A: a\rX-Injected: 1"),
    "space-before-colon": req("GET / HTTP/1.1", "Host : evil"),
    "two-hosts": req("GET / HTTP/1.1", "Host: a", "Host: b"),
    "no-host": req("GET / HTTP/1.1"),
    "host-mismatch": req("GET http://good/ HTTP/1.1", "Host: evil"),
    "userinfo": req("GET http://good@evil/ HTTP/1.1", "Host: evil"),
    "bad-version": req("GET / HTTP/1.2", "Host: h"),
    "lower-version": req("GET / http/1.1", "Host: h"),
    "double-space": req("GET  / HTTP/1.1", "Host: h"),
    "fragment": req("GET /a#b HTTP/1.1", "Host: h"),
    "connect": req("CONNECT h:443 HTTP/1.1", "Host: h:443"),
    "expect-other": req("PUT / HTTP/1.1", "Host: h", "Expect: 200-ok"),
    "too-many-empty-lines": "\r\n" * 6 + req("GET / HTTP/1.1", "Host: h"),
    "many-headers": req("GET / HTTP/1.1", "Host: h", *["X-%d: v" % i for i in range(101)]),
}

RESPONSES = {
    "ok-cl": "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    "ok-chunked": "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nX-C: 1\r\n\r\n",
    "close-delimited": "HTTP/1.0 200 OK\r\n\r\nuntil close",
    "no-content": "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n",
    "not-modified": "HTTP/1.1 304 Not Modified\r\n\r\n",
    "interim-then-final": "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
    "two-responses": "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nAHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nB",
    "no-reason": "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n",
    "switching": "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
    "cl-te": "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "cl-cl": "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc",
    "te-gzip": "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
    "status-600": "HTTP/1.1 600 X\r\n\r\n",
    "status-bare-cr": "HTTP/1.1 200 O\rK\r\n\r\n",
    "splitting": "HTTP/1.1 200 OK\r\nSet-Cookie: a\nX-Injected: 1\r\n\r\n",
    "obs-fold": "HTTP/1.1 200 OK\r\nX-A: 1\r\n 2\r\n\r\n",
    "nul": "HTTP/1.1 200 OK\r\nX-A: \x00\r\n\r\n",
    "truncated-body": "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
    "truncated-chunk": "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
    "garbage": "SSH-2.0-OpenSSH\r\n",
}

# First byte of a response seed: bit0 = two requests announced, bit1 = first is HEAD, bits2-6 = read size.
RESPONSE_MODES = {"": "\x00", "-head": "\x02", "-two-bytewise": "\x01"}

PATHS = ["/", "/a/b/c", "/a/./b/../c", "/../../etc/passwd", "/public/%2e%2e/admin", "/public/%2E%2e/admin",
         "/public/..%2fadmin", "/public/%252e%252e/admin", "/public\\..\\admin", "/public/%5c../admin",
         "/public/%c0%ae%c0%ae/admin", "/public/..;/admin", "/public/x%00/../admin", "//admin", "/a//b///c/",
         "/caf%c3%a9", "/%41%42%7e", "/a%2", "/a%zz", "/%f0%9f%98%80", "/%ed%a0%80", "*", "", "/a b",
         "/.%2e/x", "/%2e", "/a/..", "/a/b/."]

CONFIGS = {
    "toml-min": "[[listeners]]\nname = \"http\"\naddress = \"127.0.0.1:8080\"\n\n[[clusters]]\nname = \"b\"\nendpoints = [{ address = \"127.0.0.1:9000\" }]\n\n[[routes]]\npathPrefix = \"/\"\ncluster = \"b\"\n",
    "yaml-min": "listeners:\n  - name: http\n    address: 127.0.0.1:8080\nclusters:\n  - name: b\n    endpoints:\n      - address: 127.0.0.1:9000\nroutes:\n  - pathPrefix: /\n    cluster: b\n",
    "json-min": "{\"listeners\":[{\"name\":\"http\",\"address\":\"127.0.0.1:8080\"}],\"clusters\":[],\"routes\":[]}",
    "toml-bad-type": "[[listeners]]\nname = 42\n",
    "yaml-anchor-bomb": "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n",
    "yaml-null": "~\n",
    "toml-bad": "[[listeners\n",
    "empty": "",
}
# FuzzedDataProvider: consumeInt(0, 2) reads its byte from the END of the data; format = last byte % 3.
CONFIG_FORMAT_BYTE = {"toml": "\x00", "yaml": "\x01", "json": "\x02"}

FIELD_LINES = ["X-A: b", "X-A:b", "X-A:  b  ", "X-A:", "X-A: a\tb", "X-A : b", " X-A: b", "X-A: a\x00b", "X-A: a\rb",
               "X-A: caf\xe9", ": b", "X/A: b", "X-A", "Accept: */*", "X-A: a\x7fb", "Content-Length: 5",
               "Transfer-Encoding: chunked", "\tX-A: b"]


def write(cls, method, name, data):
    d = os.path.join(BASE, cls + "Inputs", method)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data.encode("latin-1"))


def main():
    for name, r in REQUESTS.items():
        write("RequestHeadFuzzTest", "decodesAnyBytesWithoutLeaksAndReencodesAcceptedHeads", name, r)
        write("DifferentialFuzzTest", "decoderAgreesWithReferenceReadingOfRfc9112", name, r)
        head_end = r.find("\r\n\r\n")
        if "Transfer-Encoding: chunked" in r and head_end >= 0:
            write("ChunkedBodyFuzzTest", "deliversExactlyTheChunkDataOrRejects", name, r[head_end + 4:])
    for name, body in {"hex-case": "a\r\n0123456789\r\nA\r\n0123456789\r\n0\r\n\r\n", "leading-zeros": "0003\r\nabc\r\n0\r\n\r\n",
                       "ext-quoted": "3;name=\"v;x\"\r\nabc\r\n0\r\n\r\n", "ext-ows": "3 ;a=b\r\nabc\r\n0\r\n\r\n",
                       "16-digits": "7fffffffffffffff\r\nab", "neg": "-1\r\n", "no-crlf-after-data": "3\r\nabcd\r\n0\r\n\r\n",
                       "trailer-host": "0\r\nHost: evil\r\n\r\n", "trailer-fold": "0\r\nA: b\r\n c\r\n\r\n",
                       "empty-size": "\r\n", "pipelined-after": "0\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n"}.items():
        write("ChunkedBodyFuzzTest", "deliversExactlyTheChunkDataOrRejects", name, body)
    for name, r in RESPONSES.items():
        for suffix, mode in RESPONSE_MODES.items():
            write("ResponseHeadFuzzTest", "answersAnyOriginBytesWith502OrWellFramedResponses", name + suffix, mode + r)
    for i, p in enumerate(PATHS):
        write("PathNormalizerFuzzTest", "normalizedPathsAreStableAndFreeOfDotSegments", "default-%02d" % i, "\x00" + p)
        write("PathNormalizerFuzzTest", "normalizedPathsAreStableAndFreeOfDotSegments", "lenient-%02d" % i, "\x01" + p)
    for name, text in CONFIGS.items():
        for fmt, byte in CONFIG_FORMAT_BYTE.items():
            write("ConfigLoaderFuzzTest", "throwsOnlyConfigValidationException", name + "-as-" + fmt, text + byte)
    for i, line in enumerate(FIELD_LINES):
        write("HeaderFieldFuzzTest", "acceptsExactlyTheRfcFieldLineSyntax", "line-%02d" % i, line)


if __name__ == "__main__":
    main()
