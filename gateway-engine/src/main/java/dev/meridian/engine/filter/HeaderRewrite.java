package dev.meridian.engine.filter;

import dev.meridian.engine.codec.HeaderEdits;
import dev.meridian.engine.config.ConfigError;
import dev.meridian.engine.config.SnapshotValidator;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The compiled {@code set} / {@code add} / {@code remove} settings that {@code request_headers}
 * and {@code response_headers} share, with their validation. Names and values become
 * {@link AsciiString}s once, at compile time, so applying them per request allocates nothing.
 *
 * <p>Applied in the order remove, set, add: a name in {@code remove} and {@code add} ends up with
 * just the added value.
 */
final class HeaderRewrite {

    static final String SET = "set";
    static final String ADD = "add";
    static final String REMOVE = "remove";
    private static final Set<String> KEYS = Set.of(SET, ADD, REMOVE);
    private static final String HOST = "host";

    final AsciiString[] setNames;
    final AsciiString[] setValues;
    final AsciiString[] addNames;
    final AsciiString[] addValues;
    final AsciiString[] removeNames;

    private HeaderRewrite(Map<String, Object> settings) {
        Map<String, String> set = table(settings.get(SET));
        Map<String, String> add = table(settings.get(ADD));
        setNames = ascii(List.copyOf(set.keySet()));
        setValues = ascii(List.copyOf(set.values()));
        addNames = ascii(List.copyOf(add.keySet()));
        addValues = ascii(List.copyOf(add.values()));
        @SuppressWarnings("unchecked")
        List<String> remove = settings.get(REMOVE) == null ? List.of() : (List<String>) settings.get(REMOVE);
        removeNames = ascii(remove);
    }

    /** Compiles settings that {@link #validate} accepted. */
    static HeaderRewrite compile(Map<String, Object> settings) {
        return new HeaderRewrite(settings);
    }

    /**
     * Checks the settings of a header filter at {@code at}: only the keys set, add and remove;
     * at least one edit; names RFC 9110 tokens that are not protected ({@link HeaderEdits#isProtected});
     * values field values without CR, LF or NUL (header injection). On requests Host may be set
     * but not added or removed: a request has exactly one Host (RFC 9112 §3.2).
     */
    static void validate(String at, Map<String, Object> settings, boolean request, List<ConfigError> errors) {
        for (String key : settings.keySet()) {
            if (!KEYS.contains(key)) {
                errors.add(new ConfigError(at + "." + key, "unknown key", "one of: add, remove, set"));
            }
        }
        int edits = 0;
        edits += validateTable(at + "." + SET, settings.get(SET), request, true, errors);
        edits += validateTable(at + "." + ADD, settings.get(ADD), request, false, errors);
        Object remove = settings.get(REMOVE);
        if (remove != null) {
            if (!(remove instanceof List<?> list)) {
                errors.add(new ConfigError(at + "." + REMOVE, SnapshotValidator.show(String.valueOf(remove)),
                        "a list of header names"));
            } else {
                for (int i = 0; i < list.size(); i++) {
                    String field = at + "." + REMOVE + "[" + i + "]";
                    if (!(list.get(i) instanceof String name)) {
                        errors.add(new ConfigError(field, SnapshotValidator.show(String.valueOf(list.get(i))),
                                "a header name (string)"));
                    } else if (checkName(field, name, request, errors) && request && HOST.equalsIgnoreCase(name)) {
                        errors.add(new ConfigError(field, SnapshotValidator.show(name),
                                "not Host (an HTTP/1.1 request needs one; set it instead)"));
                    }
                }
                edits += list.size();
            }
        }
        if (edits == 0) {
            errors.add(new ConfigError(at, "no edits", "at least one of set, add or remove"));
        }
    }

    static int validateTable(String at, Object value, boolean request, boolean set,
                                     List<ConfigError> errors) {
        if (value == null) {
            return 0;
        }
        if (!(value instanceof Map<?, ?> table)) {
            errors.add(new ConfigError(at, SnapshotValidator.show(String.valueOf(value)),
                    "a table of header name = value"));
            return 0;
        }
        for (Map.Entry<?, ?> e : table.entrySet()) {
            String name = String.valueOf(e.getKey());
            String field = at + path(name);
            if (!checkName(field, name, request, errors)) {
                continue;
            }
            if (request && !set && HOST.equalsIgnoreCase(name)) {
                errors.add(new ConfigError(field, SnapshotValidator.show(name),
                        "not Host (a request has exactly one; use set)"));
            }
            if (!(e.getValue() instanceof String v)) {
                errors.add(new ConfigError(field, SnapshotValidator.show(String.valueOf(e.getValue())),
                        "a string value"));
            } else if (!HeaderEdits.isFieldValue(v)) {
                errors.add(new ConfigError(field, SnapshotValidator.show(v),
                        "a field value: visible characters, spaces and tabs, not at either end; no CR, LF or NUL"));
            }
        }
        return table.size();
    }

    private static boolean checkName(String field, String name, boolean request, List<ConfigError> errors) {
        if (!HeaderEdits.isToken(name)) {
            errors.add(new ConfigError(field, SnapshotValidator.show(name),
                    "a header name: an RFC 9110 token (letters, digits and !#$%&'*+-.^_`|~)"));
            return false;
        }
        if (HeaderEdits.isProtected(name, request)) {
            errors.add(new ConfigError(field, SnapshotValidator.show(name), request
                    ? "not Content-Length, Transfer-Encoding, Connection, Keep-Alive, Proxy-Connection, TE, Trailer, "
                            + "Upgrade or X-Forwarded-For/-Proto/-Host (the proxy writes these)"
                    : "not Content-Length, Transfer-Encoding, Connection, Keep-Alive, Proxy-Connection, TE, Trailer "
                            + "or Upgrade (the proxy writes these)"));
            return false;
        }
        return true;
    }

    /** A map key in a field path: {@code .X-Env} for a token, else quoted and escaped. */
    private static String path(String key) {
        return HeaderEdits.isToken(key) ? "." + key : "[" + SnapshotValidator.show(key) + "]";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> table(Object value) {
        return value == null ? Map.of() : (Map<String, String>) value;
    }

    private static AsciiString[] ascii(List<String> strings) {
        List<AsciiString> out = new ArrayList<>(strings.size());
        for (String s : strings) {
            out.add(new AsciiString(s));
        }
        return out.toArray(new AsciiString[0]);
    }

    /** Records the edits on the request (true) or response through {@code ctx}. */
    void apply(FilterContext ctx, boolean request) {
        for (AsciiString name : removeNames) {
            if (request) {
                ctx.removeRequestHeader(name);
            } else {
                ctx.removeResponseHeader(name);
            }
        }
        for (int i = 0; i < setNames.length; i++) {
            if (request) {
                ctx.setRequestHeader(setNames[i], setValues[i]);
            } else {
                ctx.setResponseHeader(setNames[i], setValues[i]);
            }
        }
        for (int i = 0; i < addNames.length; i++) {
            if (request) {
                ctx.addRequestHeader(addNames[i], addValues[i]);
            } else {
                ctx.addResponseHeader(addNames[i], addValues[i]);
            }
        }
    }
}
