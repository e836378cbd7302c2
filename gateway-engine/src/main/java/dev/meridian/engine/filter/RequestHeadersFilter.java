package dev.meridian.engine.filter;

/**
 * {@code request_headers}: sets, adds and removes request fields before the request goes upstream, as configured;
 * see {@code docs/filters/request_headers.md}.
 */
final class RequestHeadersFilter implements HttpFilter {

    private final HeaderRewrite rewrite;

    RequestHeadersFilter(HeaderRewrite rewrite) {
        this.rewrite = rewrite;
    }

    @Override
    public String name() {
        return RequestHeadersFilterFactory.NAME;
    }

    @Override
    public FilterResult onRequest(FilterContext ctx) {
        rewrite.apply(ctx, true);
        return FilterResult.CONTINUE;
    }
}
