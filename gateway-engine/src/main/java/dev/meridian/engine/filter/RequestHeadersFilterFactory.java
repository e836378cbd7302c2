package dev.meridian.engine.filter;

import dev.meridian.engine.config.ConfigError;
import java.util.List;
import java.util.Map;

/**
 * Builds {@code request_headers} filters from {@code { name = "request_headers", set = { … }, add = { … },
 * remove = [ … ] }}, refusing framing and hop-by-hop fields, X-Forwarded-*, and adding or removing Host and values with CR, LF or NUL.
 */
final class RequestHeadersFilterFactory implements FilterFactory {

    static final String NAME = "request_headers";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void validate(String at, Map<String, Object> settings, List<ConfigError> errors) {
        HeaderRewrite.validate(at, settings, true, errors);
    }

    @Override
    public HttpFilter create(Map<String, Object> settings) {
        return new RequestHeadersFilter(HeaderRewrite.compile(settings));
    }
}
