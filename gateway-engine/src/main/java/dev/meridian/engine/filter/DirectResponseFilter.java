package dev.meridian.engine.filter;

/**
 * {@code direct_response}: answers every request it sees with one fixed reply, built once at
 * compile time; see {@code docs/filters/direct_response.md}.
 */
final class DirectResponseFilter implements HttpFilter {

    private final LocalReply reply;

    DirectResponseFilter(LocalReply reply) {
        this.reply = reply;
    }

    @Override
    public String name() {
        return DirectResponseFilterFactory.NAME;
    }

    @Override
    public FilterResult onRequest(FilterContext ctx) {
        return ctx.respond(reply);
    }
}
