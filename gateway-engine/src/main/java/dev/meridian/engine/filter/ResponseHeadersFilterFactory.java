package dev.meridian.engine.filter;

import dev.meridian.engine.config.ConfigError;
import java.util.List;
import java.util.Map;

/**
 * Builds {@code response_headers} filters from {@code { name = "response_headers", set = { … }, add = { … },
 * remove = [ … ] }}, refusing framing and hop-by-hop fields and values with CR, LF or NUL.
 */
final class ResponseHeadersFilterFactory implements FilterFactory {

    static final String NAME = "response_headers";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void validate(String at, Map<String, Object> settings, List<ConfigError> errors) {
        HeaderRewrite.validate(at, settings, false, errors);
    }

    @Override
    public HttpFilter create(Map<String, Object> settings) {
        return new ResponseHeadersFilter(HeaderRewrite.compile(settings));
    }
}
