package dev.meridian.engine.codec;

/**
 * The message a decoder emits instead of throwing when the bytes it received are not valid HTTP/1.1;
 * after it the decoder discards all further input.
 *
 * <p>Instances are shared constants, so emitting one allocates nothing.
 *
 * @param status the status to answer with (4xx/5xx for requests; 502 for upstream responses)
 * @param reason a constant description for logs, e.g. "Content-Length with Transfer-Encoding";
 *               never echoes received bytes
 */
public record HttpDecodeError(int status, String reason) {
}
