package dev.meridian.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Extracts the data of a chunked body already judged complete and valid (RFC 9112 §7.1), plainly. */
final class ReferenceChunks {

    private ReferenceChunks() {
    }

    static byte[] data(byte[] body) {
        String s = new String(body, StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        while (true) {
            int eol = s.indexOf("\r\n", pos);
            String line = s.substring(pos, eol);
            int end = 0;
            while (end < line.length() && Character.digit(line.charAt(end), 16) >= 0) {
                end++;
            }
            long size = Long.parseLong(line.substring(0, end), 16);
            pos = eol + 2;
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(body, pos, (int) size);
            pos += (int) size + 2;
        }
    }
}
