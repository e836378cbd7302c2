package dev.meridian.fuzz;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A second, deliberately simple reading of the RFC 9112 / RFC 9110 request rules that Meridian
 * enforces, used by {@link DifferentialFuzzTest} to check the production decoder's verdicts.
 *
 * <p>It shares no code with the engine: it works on a whole ISO-8859-1 String, splits lines with
 * {@code indexOf}, and states the grammar as regular expressions transcribed from the RFCs. Speed
 * and allocation do not matter here; readability does, so a disagreement can be judged by reading
 * this file next to the RFC.
 *
 * <p>Limits modelled: at most {@value #MAX_EMPTY_LINES} empty lines before the request line and
 * {@value #MAX_FIELDS} field lines (and trailer lines). The byte limits (8 KiB request line, 64 KiB
 * header section) are not modelled: the fuzz scripts cap inputs at 4 KiB.
 */
final class ReferenceRequestParser {

    enum Verdict { ACCEPT, REJECT, INCOMPLETE }

    static final int MAX_EMPTY_LINES = 4;
    static final int MAX_FIELDS = 100;

    /** RFC 9110 §5.6.2 token. */
    private static final String TCHAR = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]";
    /** RFC 9112 §3: method SP request-target SP HTTP-version; the target is visible ASCII without '#'. */
    private static final Pattern REQUEST_LINE =
            Pattern.compile("(" + TCHAR + "+) ([\\x21\\x22\\x24-\\x7E]+) HTTP/1\\.([01])");
    /** RFC 9112 §5: field-line = field-name ":" OWS field-value OWS (no obs-fold, no space before ':'). */
    private static final Pattern FIELD_LINE =
            Pattern.compile("(" + TCHAR + "+):[ \\t]*([\\x20-\\x7E\\x80-\\xFF\\t]*?)[ \\t]*");
    /** RFC 3986 §3.2.2 reg-name / IP-literal characters plus ':' port: what Host and authority may hold. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9\\-._~%!$&'()*+,;=:\\[\\]]*");
    private static final Pattern ABSOLUTE_FORM = Pattern.compile("(?i)(https?)://([^/?]*)(.*)", Pattern.DOTALL);
    /** RFC 9112 §7.1: chunk-size [ chunk-ext ]; after the size only "OWS ; anything-visible". */
    private static final Pattern CHUNK_LINE =
            Pattern.compile("([0-9A-Fa-f]+)((?:[ \\t]*;[\\x20-\\x7E\\x80-\\xFF\\t]*)?)");

    /** RFC 9110 §6.5.1 / §7.6.1: fields a trailer section may not carry. */
    private static final Set<String> FORBIDDEN_IN_TRAILERS = Set.of("content-length", "transfer-encoding", "host",
            "connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade", "proxy-authorization");

    private ReferenceRequestParser() {
    }

    /** The verdict on the first request in {@code input}: its head and its whole body. */
    static Verdict firstRequest(byte[] input) {
        String s = new String(input, StandardCharsets.ISO_8859_1);
        Lines lines = new Lines(s);

        // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request line.
        String requestLine;
        int empty = 0;
        while (true) {
            String l = lines.next();
            if (l == null) {
                return lines.verdictAtEnd();
            }
            if (!l.isEmpty()) {
                requestLine = l;
                break;
            }
            if (++empty > MAX_EMPTY_LINES) {
                return Verdict.REJECT;
            }
        }
        Matcher rl = REQUEST_LINE.matcher(requestLine);
        if (!rl.matches()) {
            return Verdict.REJECT;
        }
        String method = rl.group(1);
        String target = rl.group(2);
        boolean http11 = rl.group(3).equals("1");
        if (method.equals("CONNECT")) {
            return Verdict.REJECT; // tunnels are not proxied
        }
        String authority = null;
        if (target.equals("*")) {
            if (!method.equals("OPTIONS")) {
                return Verdict.REJECT;
            }
        } else if (!target.startsWith("/")) {
            Matcher af = ABSOLUTE_FORM.matcher(target);
            if (!af.matches()) {
                return Verdict.REJECT;
            }
            authority = af.group(2);
            if (authority.isEmpty() || !HOST.matcher(authority).matches()) {
                return Verdict.REJECT; // also refuses userinfo: '@' is not a host character
            }
        }

        List<String[]> fields = new ArrayList<>();
        while (true) {
            String l = lines.next();
            if (l == null) {
                return lines.verdictAtEnd();
            }
            if (l.isEmpty()) {
                break;
            }
            if (fields.size() >= MAX_FIELDS) {
                return Verdict.REJECT;
            }
            Matcher f = FIELD_LINE.matcher(l);
            if (!f.matches()) {
                return Verdict.REJECT;
            }
            fields.add(new String[] {f.group(1).toLowerCase(Locale.ROOT), f.group(2)});
        }

        List<String> hosts = values(fields, "host");
        List<String> lengths = values(fields, "content-length");
        List<String> codings = values(fields, "transfer-encoding");
        if (hosts.size() > 1 || (http11 && hosts.isEmpty())) {
            return Verdict.REJECT;
        }
        if (!hosts.isEmpty() && !HOST.matcher(hosts.get(0)).matches()) {
            return Verdict.REJECT;
        }
        if (authority != null && !hosts.isEmpty() && !authority.equalsIgnoreCase(hosts.get(0))) {
            return Verdict.REJECT;
        }
        if (!codings.isEmpty()) {
            if (!http11 || !lengths.isEmpty() || codings.size() > 1 || !codings.get(0).equalsIgnoreCase("chunked")) {
                return Verdict.REJECT;
            }
        }
        long length = 0;
        if (!lengths.isEmpty()) {
            if (lengths.size() > 1 || !lengths.get(0).matches("[0-9]+")
                    || new BigInteger(lengths.get(0)).bitLength() > 63) {
                return Verdict.REJECT;
            }
            length = Long.parseLong(lengths.get(0));
        }
        for (String expect : values(fields, "expect")) {
            if (!expect.equalsIgnoreCase("100-continue")) {
                return Verdict.REJECT;
            }
        }

        if (codings.isEmpty()) {
            return s.length() - lines.pos >= length ? Verdict.ACCEPT : Verdict.INCOMPLETE;
        }
        return chunkedBody(s, lines);
    }

    /** RFC 9112 §7.1: chunks, the last-chunk, the trailer section and its empty line. */
    private static Verdict chunkedBody(String s, Lines lines) {
        while (true) {
            String l = lines.next();
            if (l == null) {
                return lines.verdictAtEnd();
            }
            Matcher c = CHUNK_LINE.matcher(l);
            if (!c.matches()) {
                return Verdict.REJECT;
            }
            String digits = c.group(1);
            if (digits.length() > 16 || new BigInteger(digits, 16).bitLength() > 63) {
                return Verdict.REJECT;
            }
            long size = Long.parseLong(digits, 16);
            if (size == 0) {
                break;
            }
            if (size > s.length() - lines.pos) {
                return Verdict.INCOMPLETE;
            }
            int at = lines.pos + (int) size;
            if (at < s.length() && s.charAt(at) != '\r') {
                return Verdict.REJECT;
            }
            if (at + 1 < s.length() && s.charAt(at + 1) != '\n') {
                return Verdict.REJECT;
            }
            if (at + 2 > s.length()) {
                return Verdict.INCOMPLETE;
            }
            lines.pos = at + 2;
        }
        int count = 0;
        while (true) {
            String l = lines.next();
            if (l == null) {
                return lines.verdictAtEnd();
            }
            if (l.isEmpty()) {
                return Verdict.ACCEPT;
            }
            if (++count > MAX_FIELDS) {
                return Verdict.REJECT;
            }
            Matcher f = FIELD_LINE.matcher(l);
            if (!f.matches() || FORBIDDEN_IN_TRAILERS.contains(f.group(1).toLowerCase(Locale.ROOT))) {
                return Verdict.REJECT;
            }
        }
    }

    private static List<String> values(List<String[]> fields, String name) {
        List<String> out = new ArrayList<>();
        for (String[] f : fields) {
            if (f[0].equals(name)) {
                out.add(f[1]);
            }
        }
        return out;
    }

    /** CRLF-terminated lines; RFC 9112 §2.2: a bare LF is refused (we do not take the MAY). */
    private static final class Lines {
        private final String s;
        int pos;
        private boolean bareLf;

        Lines(String s) {
            this.s = s;
        }

        /** The next line without its CRLF, or null at the end of input or at a bare LF. */
        String next() {
            int lf = s.indexOf('\n', pos);
            if (lf < 0) {
                return null;
            }
            if (lf == pos || s.charAt(lf - 1) != '\r') {
                bareLf = true;
                return null;
            }
            String line = s.substring(pos, lf - 1);
            pos = lf + 1;
            return line;
        }

        Verdict verdictAtEnd() {
            return bareLf ? Verdict.REJECT : Verdict.INCOMPLETE;
        }
    }
}
