package dev.meridian.engine.filter;

/**
 * {@code response_headers}: sets, adds and removes response fields before the response goes downstream, as configured;
 * see {@code docs/filters/response_headers.md}.
 */
final class ResponseHeadersFilter implements HttpFilter {

    private final HeaderRewrite rewrite;

    ResponseHeadersFilter(HeaderRewrite rewrite) {
        this.rewrite = rewrite;
    }

    @Override
    public String name() {
        return ResponseHeadersFilterFactory.NAME;
    }

    @Override
    public FilterResult onResponse(FilterContext ctx) {
        rewrite.apply(ctx, false);
        return FilterResult.CONTINUE;
    }
}
