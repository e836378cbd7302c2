package dev.meridian.engine.filter;

import dev.meridian.engine.codec.HeaderEdits;
import dev.meridian.engine.config.ConfigError;
import dev.meridian.engine.config.SnapshotValidator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds {@code direct_response} filters from {@code { name = "direct_response", status = 301,
 * headers = { Location = "https://example.com/" }, body = "…" }}: the request is answered by the
 * gateway and never reaches an origin (a moved site, a maintenance page, a blocked path).
 */
final class DirectResponseFilterFactory implements FilterFactory {

    static final String NAME = "direct_response";
    private static final Set<String> KEYS = Set.of("status", "headers", "body", "content_type");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void validate(String at, Map<String, Object> settings, List<ConfigError> errors) {
        for (String key : settings.keySet()) {
            if (!KEYS.contains(key)) {
                errors.add(new ConfigError(at + "." + key, "unknown key", "one of: body, content_type, headers, status"));
            }
        }
        Object status = settings.get("status");
        if (!(status instanceof Integer s) || s < 200 || s > 599) {
            errors.add(new ConfigError(at + ".status", status == null ? "missing" : String.valueOf(status),
                    "a final status 200..599"));
        }
        Object body = settings.get("body");
        if (body != null && (!(body instanceof String b) || b.getBytes(StandardCharsets.UTF_8).length > LocalReply.MAX_BODY_BYTES)) {
            errors.add(new ConfigError(at + ".body", SnapshotValidator.show(String.valueOf(body)),
                    "a string of at most " + LocalReply.MAX_BODY_BYTES + " bytes"));
        }
        Object type = settings.get("content_type");
        if (type != null && (!(type instanceof String t) || t.isEmpty() || !HeaderEdits.isFieldValue(t))) {
            errors.add(new ConfigError(at + ".content_type", SnapshotValidator.show(String.valueOf(type)),
                    "a media type such as text/html; charset=utf-8"));
        }
        Object headers = settings.get("headers");
        if (headers != null) {
            HeaderRewrite.validateTable(at + ".headers", headers, false, false, errors);
        }
    }

    @Override
    public HttpFilter create(Map<String, Object> settings) {
        LocalReply reply = LocalReply.of((Integer) settings.get("status"));
        @SuppressWarnings("unchecked")
        Map<String, String> headers = (Map<String, String>) settings.getOrDefault("headers", Map.of());
        for (Map.Entry<String, String> h : headers.entrySet()) {
            reply = reply.withHeader(h.getKey(), h.getValue());
        }
        String body = (String) settings.get("body");
        if (body != null && !body.isEmpty()) {
            String type = (String) settings.getOrDefault("content_type", "text/plain; charset=utf-8");
            reply = reply.withBody(type, body.getBytes(StandardCharsets.UTF_8));
        }
        return new DirectResponseFilter(reply);
    }
}
