package dev.meridian.engine.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Translates Jackson's parse and mapping exceptions into {@link ConfigError}s that name the field
 * path as the file spells it, show the offending value and say what was expected, so users never
 * have to read a Jackson message to find their mistake.
 */
final class ParseErrors {

    /** The field name used when a problem concerns the whole document. */
    static final String ROOT = "(document)";

    private ParseErrors() {
    }

    static ConfigError describe(JsonProcessingException e, ConfigFormat format, ObjectMapper mapper, String text) {
        String at = location(e);
        if (e instanceof UnrecognizedPropertyException u) {
            return new ConfigError(path(u), "unknown key" + at, knownKeys(u));
        }
        if (e instanceof InvalidNullException n) {
            return new ConfigError(path(n), "null" + at, "a value");
        }
        if (e instanceof InvalidFormatException f) {
            return new ConfigError(path(f), SnapshotValidator.show(f.getValue()) + at,
                    expected(f.getTargetType(), format));
        }
        if (e instanceof MismatchedInputException m) {
            String value = tokenValue(m.getProcessor(), format);
            if (value == null) {
                value = valueAt(mapper, text, m.getPath(), format);
            }
            return new ConfigError(path(m), value + at, expected(m.getTargetType(), format));
        }
        if (e instanceof ValueInstantiationException v) {
            Throwable cause = v.getCause() == null ? v : v.getCause();
            return new ConfigError(path(v), "a value that could not be built" + at,
                    "valid entries (" + cause.getClass().getSimpleName() + ")");
        }
        if (e instanceof JsonMappingException m && m.getCause() instanceof JsonProcessingException cause) {
            // Databind wraps the parser's own errors (syntax, number range, duplicate key) with the path.
            String value = cause instanceof InputCoercionException ? valueAt(mapper, text, m.getPath(), format) : null;
            return streamError(path(m), cause, format, at, value);
        }
        if (e instanceof JsonMappingException m) {
            return new ConfigError(path(m), "an unusable value" + at, firstLine(m.getOriginalMessage()));
        }
        JsonParser parser = e.getProcessor() instanceof JsonParser p ? p : null;
        return streamError(contextPath(parser), e, format, at, null);
    }

    private static ConfigError streamError(String path, JsonProcessingException e, ConfigFormat format, String at,
            String knownValue) {
        if (e instanceof InputCoercionException c) {
            // A number too large for its field (e.g. 99999999999 for an int) fails in the parser.
            String value = knownValue != null ? knownValue : tokenValue(c.getProcessor(), format);
            return new ConfigError(path, (value == null ? "a number" : value) + at,
                    expected(c.getTargetType(), format) + " within " + range(c.getTargetType()));
        }
        String message = firstLine(e.getOriginalMessage());
        if (message.startsWith("Duplicate field '") && message.endsWith("'")) {
            String key = message.substring("Duplicate field '".length(), message.length() - 1);
            return new ConfigError(ROOT.equals(path) ? key : path + "." + key, "a repeated key" + at, "each key once");
        }
        return new ConfigError(path, "invalid " + format.name() + " syntax" + at, message);
    }

    private static String range(Class<?> type) {
        if (type == Integer.class || type == int.class) {
            return Integer.MIN_VALUE + ".." + Integer.MAX_VALUE;
        }
        return Long.MIN_VALUE + ".." + Long.MAX_VALUE;
    }

    /**
     * The value at {@code path} in a fresh tree of {@code text}: parsers built over trees (TOML)
     * have been closed, and so forgotten their token, by the time a mapping error reaches us.
     */
    private static String valueAt(ObjectMapper mapper, String text, List<JsonMappingException.Reference> path,
            ConfigFormat format) {
        JsonNode node;
        try {
            node = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            return "a value of the wrong type";
        }
        for (JsonMappingException.Reference ref : path) {
            if (node == null) {
                break;
            }
            node = ref.getFieldName() != null ? node.get(ref.getFieldName()) : node.get(ref.getIndex());
        }
        if (node == null) {
            return "a value of the wrong type";
        }
        if (node.isTextual()) {
            return SnapshotValidator.show(node.textValue());
        }
        if (node.isObject()) {
            return format.containerNoun();
        }
        if (node.isArray()) {
            return "a list";
        }
        return node.toString();
    }

    /** {@code clusters[0].connect_timeout_ms} from Jackson's reference chain. */
    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? ROOT : sb.toString();
    }

    /** The same path built from the parser's position, for errors raised before mapping. */
    private static String contextPath(JsonParser parser) {
        if (parser == null) {
            return ROOT;
        }
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext ctx = parser.getParsingContext(); ctx != null && !ctx.inRoot(); ctx = ctx.getParent()) {
            if (ctx.inObject() && ctx.getCurrentName() != null) {
                parts.add(0, "." + ctx.getCurrentName());
            } else if (ctx.inArray()) {
                parts.add(0, "[" + Math.max(ctx.getCurrentIndex(), 0) + "]");
            }
        }
        if (parts.isEmpty()) {
            return ROOT;
        }
        String joined = String.join("", parts);
        return joined.startsWith(".") ? joined.substring(1) : joined;
    }

    private static String knownKeys(UnrecognizedPropertyException u) {
        List<String> known = new ArrayList<>();
        if (u.getKnownPropertyIds() != null) {
            for (Object id : u.getKnownPropertyIds()) {
                known.add(String.valueOf(id));
            }
        }
        known.sort(null);
        String suggestion = closest(u.getPropertyName(), known);
        return "a known key (" + String.join(", ", known) + ")"
                + (suggestion == null ? "" : "; did you mean " + suggestion + "?");
    }

    /** The known key within edit distance 2 of {@code key}, if any: most typos are one or two letters. */
    private static String closest(String key, List<String> known) {
        String best = null;
        int bestDistance = 3;
        for (String k : known) {
            int d = distance(key, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The value the parser stands on, as a message shows it, or null when the parser has moved on. */
    private static String tokenValue(Object processor, ConfigFormat format) {
        if (!(processor instanceof JsonParser p) || p.isClosed()) {
            return null;
        }
        JsonToken t = p.currentToken();
        if (t == null) {
            return null;
        }
        try {
            return switch (t) {
                case VALUE_STRING -> SnapshotValidator.show(p.getText());
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> p.getText();
                case VALUE_NULL -> "null";
                case START_OBJECT, END_OBJECT, FIELD_NAME -> format.containerNoun();
                case START_ARRAY, END_ARRAY -> "a list";
                default -> "a value of the wrong type";
            };
        } catch (java.io.IOException e) {
            return "a value of the wrong type";
        }
    }

    private static final Map<Class<?>, String> SCALARS = Map.of(
            Integer.class, "an integer", int.class, "an integer",
            Long.class, "an integer", long.class, "an integer",
            String.class, "a string",
            Boolean.class, "true or false", boolean.class, "true or false");

    private static String expected(Class<?> type, ConfigFormat format) {
        if (type == null) {
            return "a value of another type";
        }
        String scalar = SCALARS.get(type);
        if (scalar != null) {
            return scalar;
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (type == GatewaySnapshot.class) {
            return format.containerNoun() + " with listeners, clusters and routes";
        }
        return format.containerNoun();
    }

    private static String location(JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        if (loc == null || loc.getLineNr() <= 0) {
            return "";
        }
        return " at line " + loc.getLineNr() + (loc.getColumnNr() > 0 ? ", column " + loc.getColumnNr() : "");
    }

    private static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "valid syntax";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
