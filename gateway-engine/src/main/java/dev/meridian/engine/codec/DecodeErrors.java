package dev.meridian.engine.codec;

/**
 * The catalogue of decode failures: one shared {@link HttpDecodeError} per kind, with the status a
 * client receives for it and the status (always 502) an upstream failure maps to.
 */
final class DecodeErrors {

    static final int BARE_LF = 0;
    static final int BAD_CHARACTER = 1;
    static final int START_LINE_TOO_LONG = 2;
    static final int HEADERS_TOO_LARGE = 3;
    static final int TOO_MANY_HEADERS = 4;
    static final int BAD_REQUEST_LINE = 5;
    static final int BAD_METHOD = 6;
    static final int BAD_TARGET = 7;
    static final int BAD_VERSION = 8;
    static final int UNSUPPORTED_VERSION = 9;
    static final int CONNECT_NOT_SUPPORTED = 10;
    static final int OBS_FOLD = 11;
    static final int BAD_FIELD_NAME = 12;
    static final int WHITESPACE_BEFORE_COLON = 13;
    static final int MISSING_COLON = 14;
    static final int BAD_FIELD_VALUE = 15;
    static final int CL_AND_TE = 16;
    static final int MULTIPLE_CL = 17;
    static final int BAD_CL = 18;
    static final int BAD_TE = 19;
    static final int MULTIPLE_TE = 20;
    static final int TE_IN_HTTP10 = 21;
    static final int BAD_CHUNK_SIZE = 22;
    static final int CHUNK_SIZE_OVERFLOW = 23;
    static final int BAD_CHUNK_EXTENSION = 24;
    static final int CHUNK_LINE_TOO_LONG = 25;
    static final int MISSING_CHUNK_CRLF = 26;
    static final int TRAILERS_TOO_LARGE = 27;
    static final int FRAMING_FIELD_IN_TRAILERS = 28;
    static final int MISSING_HOST = 29;
    static final int MULTIPLE_HOST = 30;
    static final int BAD_HOST = 31;
    static final int EXPECTATION_FAILED = 32;
    static final int TOO_MANY_EMPTY_LINES = 33;
    static final int BAD_STATUS_LINE = 34;
    static final int UNEXPECTED_UPGRADE = 35;
    static final int UNSOLICITED_RESPONSE = 36;
    static final int CLOSED_MID_BODY = 37;
    static final int HOP_BY_HOP_IN_TRAILERS = 38;
    static final int HOST_MISMATCH = 39;
    static final int BAD_AUTHORITY = 40;
    private static final int COUNT = 41;

    private static final String[] REASONS = new String[COUNT];
    private static final int[] REQUEST_STATUS = new int[COUNT];

    static {
        define(BARE_LF, 400, "bare LF line ending");
        define(BAD_CHARACTER, 400, "invalid character");
        define(START_LINE_TOO_LONG, 414, "start line too long");
        define(HEADERS_TOO_LARGE, 431, "header section too large");
        define(TOO_MANY_HEADERS, 431, "too many header fields");
        define(BAD_REQUEST_LINE, 400, "malformed request line");
        define(BAD_METHOD, 400, "method is not a token");
        define(BAD_TARGET, 400, "malformed request-target");
        define(BAD_VERSION, 400, "malformed HTTP version");
        define(UNSUPPORTED_VERSION, 505, "HTTP version not supported");
        define(CONNECT_NOT_SUPPORTED, 501, "CONNECT not supported");
        define(OBS_FOLD, 400, "obsolete line folding");
        define(BAD_FIELD_NAME, 400, "field name is not a token");
        define(WHITESPACE_BEFORE_COLON, 400, "whitespace between field name and colon");
        define(MISSING_COLON, 400, "field line without colon");
        define(BAD_FIELD_VALUE, 400, "invalid character in field value");
        define(CL_AND_TE, 400, "Content-Length with Transfer-Encoding");
        define(MULTIPLE_CL, 400, "multiple Content-Length");
        define(BAD_CL, 400, "invalid Content-Length");
        define(BAD_TE, 400, "unsupported Transfer-Encoding");
        define(MULTIPLE_TE, 400, "multiple Transfer-Encoding");
        define(TE_IN_HTTP10, 400, "Transfer-Encoding in HTTP/1.0 message");
        define(BAD_CHUNK_SIZE, 400, "invalid chunk size");
        define(CHUNK_SIZE_OVERFLOW, 400, "chunk size overflow");
        define(BAD_CHUNK_EXTENSION, 400, "invalid chunk extension");
        define(CHUNK_LINE_TOO_LONG, 400, "chunk line too long");
        define(MISSING_CHUNK_CRLF, 400, "missing CRLF after chunk data");
        define(TRAILERS_TOO_LARGE, 431, "trailer section too large");
        define(FRAMING_FIELD_IN_TRAILERS, 400, "framing field in trailer section");
        define(MISSING_HOST, 400, "missing Host");
        define(MULTIPLE_HOST, 400, "multiple Host");
        define(BAD_HOST, 400, "invalid Host");
        define(EXPECTATION_FAILED, 417, "unsupported expectation");
        define(TOO_MANY_EMPTY_LINES, 400, "too many empty lines before request line");
        define(BAD_STATUS_LINE, 502, "malformed status line");
        define(UNEXPECTED_UPGRADE, 502, "unexpected 101 Switching Protocols");
        define(UNSOLICITED_RESPONSE, 502, "response bytes while no request is outstanding");
        define(CLOSED_MID_BODY, 502, "upstream closed before end of body");
        define(HOP_BY_HOP_IN_TRAILERS, 400, "hop-by-hop field in trailer section");
        define(HOST_MISMATCH, 400, "absolute-form authority differs from Host");
        define(BAD_AUTHORITY, 400, "invalid authority in request-target");
    }

    /** Errors a request decoder emits: the status tells the client what went wrong. */
    static final HttpDecodeError[] REQUEST = build(false);

    /** Errors a response decoder emits: whatever the cause, the client sees 502 Bad Gateway. */
    static final HttpDecodeError[] RESPONSE = build(true);

    private DecodeErrors() {
    }

    private static void define(int kind, int requestStatus, String reason) {
        REASONS[kind] = reason;
        REQUEST_STATUS[kind] = requestStatus;
    }

    private static HttpDecodeError[] build(boolean upstream) {
        HttpDecodeError[] errors = new HttpDecodeError[COUNT];
        for (int k = 0; k < COUNT; k++) {
            errors[k] = new HttpDecodeError(upstream ? 502 : REQUEST_STATUS[k], REASONS[k]);
        }
        return errors;
    }
}
