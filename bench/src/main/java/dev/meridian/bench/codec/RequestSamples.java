package dev.meridian.bench.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The request bytes the codec benchmarks decode: a typical browser navigation head, a 20-field API
 * head, and a chunked upload.
 */
final class RequestSamples {

    /** The "typical browser request head" size the design's published 2.5 GB/s figure refers to. */
    static final int BROWSER_HEAD_BYTES = 486;
    static final int API_HEAD_FIELDS = 20;
    static final int CHUNKED_BODY_BYTES = 64 * 1024;
    static final int CHUNK_BYTES = 8 * 1024;

    private RequestSamples() {
    }

    /** A Chrome 130 top-level navigation on Linux: request line plus 12 fields, exactly 486 bytes. */
    static byte[] browserHead() {
        byte[] bytes = head(
                "GET /checkout HTTP/1.1",
                "Host: shop.example.com",
                "Connection: keep-alive",
                "sec-ch-ua-mobile: ?0",
                "sec-ch-ua-platform: \"Linux\"",
                "Upgrade-Insecure-Requests: 1",
                "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                        + "Chrome/130.0.0.0 Safari/537.36",
                "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "Sec-Fetch-Site: none",
                "Sec-Fetch-Mode: navigate",
                "Sec-Fetch-Dest: document",
                "Accept-Encoding: gzip, deflate, br",
                "Accept-Language: en-US,en;q=0.9");
        if (bytes.length != BROWSER_HEAD_BYTES) {
            throw new IllegalStateException("browser head is " + bytes.length + " bytes (expected: "
                    + BROWSER_HEAD_BYTES + ")");
        }
        return bytes;
    }

    /** An API call as it reaches a gateway behind a CDN: tracing, forwarding and auth fields. */
    static byte[] apiHead() {
        String[] lines = {
            "GET /api/v2/orders/8812734/items?expand=product&limit=50 HTTP/1.1",
            "Host: api.example.com",
            "User-Agent: okhttp/4.12.0",
            "Accept: application/json",
            "Accept-Encoding: gzip",
            "Accept-Language: en-US",
            "Authorization: Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwiaWF0IjoxNzAwMDAwMDAwfQ.c2lnbmF0dXJl",
            "Cookie: session=3f2a9c71e5b84d0a; theme=dark; consent=1",
            "X-Request-Id: 7d9e2b1c-4f3a-4e8b-9c6d-1a2b3c4d5e6f",
            "X-Forwarded-For: 203.0.113.7, 198.51.100.23",
            "X-Forwarded-Proto: https",
            "X-Forwarded-Host: api.example.com",
            "X-Real-IP: 203.0.113.7",
            "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "tracestate: vendor=t61rcWkgMzE",
            "Cache-Control: no-cache",
            "Pragma: no-cache",
            "Referer: https://app.example.com/orders/8812734",
            "Origin: https://app.example.com",
            "Sec-Fetch-Mode: cors",
            "Connection: keep-alive",
        };
        if (lines.length - 1 != API_HEAD_FIELDS) {
            throw new IllegalStateException("API head has " + (lines.length - 1) + " fields (expected: "
                    + API_HEAD_FIELDS + ")");
        }
        return head(lines);
    }

    /** A POST whose 64 KiB body arrives as eight 8 KiB chunks and the last-chunk. */
    static byte[] chunkedUpload() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(CHUNKED_BODY_BYTES + 512);
        out.writeBytes(head(
                "POST /upload HTTP/1.1",
                "Host: files.example.com",
                "Content-Type: application/octet-stream",
                "Transfer-Encoding: chunked"));
        byte[] chunk = new byte[CHUNK_BYTES];
        Arrays.fill(chunk, (byte) 'x');
        byte[] sizeLine = (Integer.toHexString(CHUNK_BYTES) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int sent = 0; sent < CHUNKED_BODY_BYTES; sent += CHUNK_BYTES) {
            out.writeBytes(sizeLine);
            out.writeBytes(chunk);
            out.writeBytes(crlf());
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] head(String... lines) {
        return (String.join("\r\n", lines) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] crlf() {
        return new byte[] {'\r', '\n'};
    }
}
