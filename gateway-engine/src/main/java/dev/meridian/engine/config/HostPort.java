package dev.meridian.engine.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * A parsed {@code host:port} address as listeners and endpoints name it: an IPv4 literal, a
 * bracketed IPv6 literal ({@code [::1]:8080}) or a hostname, then a decimal port.
 *
 * <p>Parsing never touches DNS, so the validator can run anywhere (admin request threads, the
 * config thread) without blocking on a resolver.
 */
public record HostPort(String host, int port) {

    /** What a valid address looks like, quoted by every error about one. */
    public static final String EXPECTED = "host:port with an IPv4 address, [IPv6] address or hostname";

    private static final int MAX_HOSTNAME_LENGTH = 253;
    private static final int MAX_LABEL_LENGTH = 63;

    /**
     * Parses {@code text}, or throws {@link IllegalArgumentException} whose message says what was
     * expected. The port may be 0 here; callers apply their own port range.
     */
    public static HostPort parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException(EXPECTED);
        }
        String host;
        String portText;
        if (text.charAt(0) == '[') {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException(EXPECTED);
            }
            host = text.substring(1, close);
            portText = text.substring(close + 2);
            if (!isIpv6Literal(host)) {
                throw new IllegalArgumentException("a valid IPv6 address inside [ ]");
            }
        } else {
            int colon = text.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(EXPECTED);
            }
            host = text.substring(0, colon);
            portText = text.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                // An unbracketed IPv6 literal is ambiguous: "::1:80" could be host ::1 port 80 or ::1:80.
                throw new IllegalArgumentException("IPv6 addresses in brackets, e.g. [::1]:8080");
            }
            if (looksLikeIpv4(host)) {
                if (!isIpv4Literal(host)) {
                    throw new IllegalArgumentException("a valid IPv4 address (four numbers 0..255)");
                }
            } else if (!isHostname(host, true)) {
                throw new IllegalArgumentException("a hostname of letters, digits, '-', '_' and '.'");
            }
        }
        return new HostPort(host.toLowerCase(Locale.ROOT), parsePort(portText));
    }

    /** {@code true} when the host is an IP literal rather than a name that needs resolving. */
    public boolean isIpLiteral() {
        return host.indexOf(':') >= 0 || isIpv4Literal(host);
    }

    /**
     * A socket address for connecting or binding: IP literals are converted without DNS; hostnames
     * stay unresolved so that Netty resolves them asynchronously at connect time.
     */
    public InetSocketAddress toSocketAddress() {
        if (isIpLiteral()) {
            try {
                // Literal input: InetAddress parses it without a lookup.
                return new InetSocketAddress(InetAddress.getByName(host), port);
            } catch (UnknownHostException e) {
                throw new IllegalStateException("literal did not parse: " + host, e);
            }
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** The canonical text form, with brackets around IPv6 literals. */
    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    /**
     * {@code true} for a DNS name of labels made of letters, digits and '-' (and '_' when allowed,
     * for container service names), each 1..63 long and not starting or ending with '-'.
     */
    public static boolean isHostname(String s, boolean allowUnderscore) {
        int n = s.length();
        if (n == 0 || n > MAX_HOSTNAME_LENGTH) {
            return false;
        }
        int labelStart = 0;
        for (int i = 0; i <= n; i++) {
            if (i == n || s.charAt(i) == '.') {
                int len = i - labelStart;
                if (len == 0 || len > MAX_LABEL_LENGTH
                        || s.charAt(labelStart) == '-' || s.charAt(i - 1) == '-') {
                    return false;
                }
                labelStart = i + 1;
                continue;
            }
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || (allowUnderscore && c == '_');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static int parsePort(String s) {
        if (s.isEmpty() || s.length() > 5) {
            throw new IllegalArgumentException("a port 0..65535 after the ':'");
        }
        int port = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("a port 0..65535 after the ':'");
            }
            port = port * 10 + (c - '0');
        }
        if (port > 65535) {
            throw new IllegalArgumentException("a port 0..65535 after the ':'");
        }
        return port;
    }

    /** Digits and dots only: meant as IPv4, so it must be a valid one (999.1.1.1 is no hostname). */
    private static boolean looksLikeIpv4(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv4Literal(String s) {
        int parts = 0;
        int value = -1;
        int digits = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == '.') {
                if (digits == 0 || value > 255) {
                    return false;
                }
                parts++;
                value = -1;
                digits = 0;
                continue;
            }
            char c = s.charAt(i);
            if (c < '0' || c > '9' || digits == 3) {
                return false;
            }
            value = (value < 0 ? 0 : value * 10) + (c - '0');
            digits++;
        }
        return parts == 4;
    }

    private static boolean isIpv6Literal(String s) {
        if (s.isEmpty() || s.indexOf(':') < 0) {
            return false;
        }
        // Zone ids (fe80::1%eth0) are refused: they name a local interface and resolving one depends
        // on the host the config runs on, so a config would validate on one machine and not another.
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
                    || c == ':' || c == '.';
            if (!ok) {
                return false;
            }
        }
        try {
            // A string containing ':' takes the JDK's literal-parsing path and never a DNS lookup.
            InetAddress.getByName(s);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
