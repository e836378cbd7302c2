package dev.meridian.engine.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.codec.HttpRequestHead;
import dev.meridian.engine.codec.HttpResponseHead;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FilterExecutionTest {

    static final AsciiString X_USER = AsciiString.cached("x-user");
    static final MetadataKey<String> USER = MetadataKey.of("user", String.class);

    final List<String> calls = new ArrayList<>();
    final List<FilterResult> resumed = new ArrayList<>();
    EmbeddedChannel loop;
    EventExecutor executor;
    HttpRequestHead head;
    FilterExecution exec;

    @BeforeEach
    void setUp() {
        loop = new EmbeddedChannel();
        executor = loop.eventLoop();
        head = Heads.request("GET /api/items?id=7 HTTP/1.1\r\nHost: shop.example\r\nX-User: alice\r\n\r\n");
        exec = FilterExecution.create(executor);
        exec.begin(head, null, resumed::add);
    }

    @AfterEach
    void tearDown() {
        exec.end();
        head.release();
        loop.finishAndReleaseAll();
    }

    /** A filter that records its hooks and returns the given results. */
    HttpFilter recording(String name, FilterResult onRequest) {
        return new HttpFilter() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public FilterResult onRequest(FilterContext ctx) {
                calls.add(name + ".request");
                return onRequest == FilterResult.RESPONDED ? ctx.respond(LocalReply.of(403)) : onRequest;
            }

            @Override
            public FilterResult onResponse(FilterContext ctx) {
                calls.add(name + ".response");
                return FilterResult.CONTINUE;
            }
        };
    }

    @Test
    void runsRequestHooksInOrderAndResponseHooksRouteFirstInReverse() {
        FilterChain listener = FilterChain.of(recording("l1", FilterResult.CONTINUE), recording("l2", FilterResult.CONTINUE));
        FilterChain route = FilterChain.of(recording("r1", FilterResult.CONTINUE), recording("r2", FilterResult.CONTINUE));
        assertThat(exec.runRequest(listener, null, null)).isEqualTo(FilterResult.CONTINUE);
        assertThat(exec.runRequest(route, null, "api")).isEqualTo(FilterResult.CONTINUE);
        HttpResponseHead response = Heads.response("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        try {
            assertThat(exec.runResponse(response)).isEqualTo(FilterResult.CONTINUE);
        } finally {
            response.release();
        }
        assertThat(calls).containsExactly("l1.request", "l2.request", "r1.request", "r2.request",
                "r2.response", "r1.response", "l2.response", "l1.response");
    }

    @Test
    void aRespondingFilterStopsTheChain() {
        FilterChain chain = FilterChain.of(recording("a", FilterResult.CONTINUE), recording("deny", FilterResult.RESPONDED),
                recording("never", FilterResult.CONTINUE));
        assertThat(exec.runRequest(chain, null, null)).isEqualTo(FilterResult.RESPONDED);
        assertThat(exec.reply().status()).isEqualTo(403);
        assertThat(calls).containsExactly("a.request", "deny.request");
    }

    @Test
    void aWaitingFilterResumesTheRestOfTheChainOnTheEventLoop() throws Exception {
        DefaultEventLoop realLoop = new DefaultEventLoop();
        try {
            FilterExecution onLoop = FilterExecution.create(realLoop);
            AtomicReference<FilterContext> waiting = new AtomicReference<>();
            List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
            HttpFilter async = new HttpFilter() {
                @Override
                public String name() {
                    return "async";
                }

                @Override
                public FilterResult onRequest(FilterContext ctx) {
                    waiting.set(ctx);
                    return FilterResult.PENDING;
                }
            };
            HttpFilter after = new HttpFilter() {
                @Override
                public String name() {
                    return "after";
                }

                @Override
                public FilterResult onRequest(FilterContext ctx) {
                    threads.add(Thread.currentThread());
                    return FilterResult.CONTINUE;
                }
            };
            List<FilterResult> outcome = new java.util.concurrent.CopyOnWriteArrayList<>();
            FilterResult first = realLoop.submit(() -> {
                onLoop.begin(head, null, outcome::add);
                return onLoop.runRequest(FilterChain.of(async, after), null, null);
            }).get();
            assertThat(first).isEqualTo(FilterResult.PENDING);
            assertThat(onLoop.reusable()).as("a chain that waited is never reused").isFalse();
            assertThat(threads).isEmpty();

            waiting.get().resume(FilterResult.CONTINUE); // from the test thread: handed to the loop
            realLoop.submit(() -> { }).get();
            assertThat(threads).hasSize(1);
            assertThat(threads.get(0)).isNotSameAs(Thread.currentThread());
            assertThat(outcome).containsExactly(FilterResult.CONTINUE);

            waiting.get().resume(FilterResult.CONTINUE);
            realLoop.submit(() -> { }).get();
            assertThat(outcome).as("a second resume is ignored").hasSize(1);
            realLoop.submit(onLoop::end).get();
        } finally {
            realLoop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void aWaitingFilterMayAnswerWhenItResumes() {
        AtomicReference<FilterContext> waiting = new AtomicReference<>();
        HttpFilter async = new HttpFilter() {
            @Override
            public String name() {
                return "async";
            }

            @Override
            public FilterResult onRequest(FilterContext ctx) {
                waiting.set(ctx);
                return FilterResult.PENDING;
            }
        };
        exec.runRequest(FilterChain.of(async, recording("never", FilterResult.CONTINUE)), null, null);
        waiting.get().respond(LocalReply.of(429).withHeader("Retry-After", "1"));
        waiting.get().resume(FilterResult.RESPONDED);
        assertThat(resumed).containsExactly(FilterResult.RESPONDED);
        assertThat(exec.reply().header("retry-after")).isEqualTo("1");
        assertThat(calls).isEmpty();
    }

    @Test
    void aResumeAfterTheRequestEndedDoesNothing() {
        AtomicReference<FilterContext> waiting = new AtomicReference<>();
        HttpFilter async = new HttpFilter() {
            @Override
            public String name() {
                return "async";
            }

            @Override
            public FilterResult onRequest(FilterContext ctx) {
                waiting.set(ctx);
                return FilterResult.PENDING;
            }
        };
        exec.runRequest(FilterChain.of(async), null, null);
        exec.end();
        waiting.get().resume(FilterResult.CONTINUE);
        assertThat(resumed).isEmpty();
        exec.begin(head, null, resumed::add); // for tearDown
    }

    @Test
    void filtersShareMetadataAndSeeEarlierHeaderEdits() {
        HttpFilter auth = new HttpFilter() {
            @Override
            public String name() {
                return "auth";
            }

            @Override
            public FilterResult onRequest(FilterContext ctx) {
                ctx.putMetadata(USER, ctx.requestHeader("x-user"));
                ctx.setRequestHeader(AsciiString.of("X-User"), AsciiString.of("alice@example"));
                return FilterResult.CONTINUE;
            }
        };
        AtomicReference<String> seen = new AtomicReference<>();
        HttpFilter reader = new HttpFilter() {
            @Override
            public String name() {
                return "reader";
            }

            @Override
            public FilterResult onRequest(FilterContext ctx) {
                seen.set(ctx.metadata(USER) + " " + ctx.requestHeader("X-USER") + " "
                        + ctx.requestHeaderEquals(X_USER, AsciiString.of("alice@example")) + " "
                        + ctx.methodIs(AsciiString.of("GET")) + " " + ctx.path() + " " + ctx.query() + " "
                        + ctx.pathStartsWith(AsciiString.of("/api/")) + " " + ctx.routeName());
                return FilterResult.CONTINUE;
            }
        };
        exec.runRequest(FilterChain.of(auth, reader), null, "api");
        assertThat(seen.get()).isEqualTo("alice alice@example true true /api/items id=7 true api");
        assertThat(exec.requestEdits()).isNotNull();
        exec.end();
        assertThat(exec.requestEdits()).as("edits do not outlive the request").isNull();
        exec.begin(head, null, resumed::add);
        assertThat(exec.metadata(USER)).isNull();
    }

    @Test
    void aFilterThatThrowsAnswers500() {
        HttpFilter broken = new HttpFilter() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public FilterResult onRequest(FilterContext ctx) {
                ctx.setRequestHeader(AsciiString.of("X-Evil"), AsciiString.of("a\r\nInjected: 1"));
                return FilterResult.CONTINUE;
            }
        };
        assertThat(exec.runRequest(FilterChain.of(broken), null, null)).isEqualTo(FilterResult.RESPONDED);
        assertThat(exec.reply().status()).isEqualTo(500);
        assertThat(exec.requestEdits()).as("the refused edit was not recorded").isNull();
    }

    @Test
    void respondedWithoutAReplyIsADefect() {
        HttpFilter liar = new HttpFilter() {
            @Override
            public String name() {
                return "liar";
            }

            @Override
            public FilterResult onRequest(FilterContext ctx) {
                return FilterResult.RESPONDED;
            }
        };
        assertThat(exec.runRequest(FilterChain.of(liar), null, null)).isEqualTo(FilterResult.RESPONDED);
        assertThat(exec.reply().status()).isEqualTo(500);
    }

    @Test
    void anEmptyChainRunsNothingAndLeavesNoResponseHooks() {
        assertThat(exec.runRequest(FilterChain.EMPTY, null, null)).isEqualTo(FilterResult.CONTINUE);
        assertThat(exec.runResponse(null)).isEqualTo(FilterResult.CONTINUE);
        assertThat(exec.requestEdits()).isNull();
        assertThat(exec.responseEdits()).isNull();
    }

    @Test
    void builtInHeaderFiltersRecordTheirEdits() {
        FilterChain chain = FilterChain.compile(List.of(
                new dev.meridian.engine.config.FilterSpec("request_headers", java.util.Map.of(
                        "set", java.util.Map.of("X-Env", "prod"), "remove", List.of("X-User"))),
                new dev.meridian.engine.config.FilterSpec("response_headers", java.util.Map.of(
                        "add", java.util.Map.of("X-Frame-Options", "DENY")))));
        assertThat(chain.toString()).isEqualTo("FilterChain[request_headers, response_headers]");
        exec.runRequest(chain, null, null);
        assertThat(exec.requestHeader("x-env")).isEqualTo("prod");
        assertThat(exec.hasRequestHeader(X_USER)).isFalse();
        HttpResponseHead response = Heads.response("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        try {
            exec.runResponse(response);
        } finally {
            response.release();
        }
        assertThat(exec.responseEdits().firstValue(AsciiString.of("x-frame-options")).toString()).isEqualTo("DENY");
    }

    @Test
    void aWaitingFilterOfTheRouteChainResumesTheRestOfTheRouteChain() {
        AtomicReference<FilterContext> waiting = new AtomicReference<>();
        HttpFilter async = new HttpFilter() {
            @Override
            public String name() {
                return "async";
            }

            @Override
            public FilterResult onRequest(FilterContext ctx) {
                waiting.set(ctx);
                return FilterResult.PENDING;
            }
        };
        FilterChain listener = FilterChain.of(recording("listener", FilterResult.CONTINUE));
        FilterChain route = FilterChain.of(recording("route1", FilterResult.CONTINUE), async,
                recording("route3", FilterResult.CONTINUE));
        assertThat(exec.runRequest(listener, null, null)).isEqualTo(FilterResult.CONTINUE);
        assertThat(exec.runRequest(route, null, "api")).isEqualTo(FilterResult.PENDING);
        waiting.get().resume(FilterResult.CONTINUE);
        // The rest of the route chain runs, not the listener's again.
        assertThat(calls).containsExactly("listener.request", "route1.request", "route3.request");
        assertThat(resumed).containsExactly(FilterResult.CONTINUE);
        // Response hooks: the route chain's in reverse, then the listener's.
        HttpResponseHead response = Heads.response("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        try {
            assertThat(exec.runResponse(response)).isEqualTo(FilterResult.CONTINUE);
        } finally {
            response.release();
        }
        assertThat(calls).endsWith("route3.response", "route1.response", "listener.response");
    }

    @Test
    void metadataStoredOutsideAChainEndsWithTheRequest() {
        exec.putMetadata(USER, "alice");
        assertThat(exec.metadata(USER)).isEqualTo("alice");
        exec.end();
        exec.begin(head, null, resumed::add);
        assertThat(exec.metadata(USER)).as("no chain ran, yet the value is gone").isNull();
    }

    @Test
    void theNextRequestReadsItsOwnHead() {
        HttpRequestHead other = Heads.request("POST /other HTTP/1.1\r\nHost: b\r\nX-Other: 1\r\n\r\n");
        try {
            assertThat(exec.hasRequestHeader(X_USER)).isTrue();
            assertThat(exec.methodIs(AsciiString.of("GET"))).isTrue();
            exec.end();
            exec.begin(other, null, resumed::add);
            assertThat(exec.hasRequestHeader(X_USER)).isFalse();
            assertThat(exec.hasRequestHeader(AsciiString.of("x-other"))).isTrue();
            assertThat(exec.methodIs(AsciiString.of("POST"))).isTrue();
            assertThat(exec.pathStartsWith(AsciiString.of("/other"))).isTrue();
            exec.end();
        } finally {
            other.release();
        }
        exec.begin(head, null, resumed::add); // for tearDown
    }
}
