package dev.meridian.engine.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.codec.HttpRequestHead;
import dev.meridian.engine.codec.HttpResponseHead;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The chain runners (one call site per position up to {@link UnrolledRunner#MAX} filters, a loop
 * beyond) stop, resume and report defects at every position exactly as the loop did.
 */
class ChainRunnerTest {

    /** What a scripted hook does. */
    enum Act { CONTINUE, RESPOND, WAIT, THROW }

    final List<String> calls = new ArrayList<>();
    final List<FilterResult> resumed = new ArrayList<>();
    EmbeddedChannel loop;
    HttpRequestHead head;
    FilterExecution exec;

    @BeforeEach
    void setUp() {
        loop = new EmbeddedChannel();
        head = Heads.request("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        exec = FilterExecution.create(loop.eventLoop());
        exec.begin(head, null, resumed::add);
    }

    @AfterEach
    void tearDown() {
        exec.end();
        head.release();
        loop.finishAndReleaseAll();
    }

    HttpFilter scripted(int position, Act onRequest, Act onResponse) {
        return new HttpFilter() {
            @Override
            public String name() {
                return "f" + position;
            }

            @Override
            public FilterResult onRequest(FilterContext ctx) {
                calls.add("req" + position);
                return act(ctx, onRequest);
            }

            @Override
            public FilterResult onResponse(FilterContext ctx) {
                calls.add("resp" + position);
                return act(ctx, onResponse);
            }
        };
    }

    static FilterResult act(FilterContext ctx, Act act) {
        switch (act) {
            case RESPOND:
                return ctx.respond(LocalReply.of(403));
            case WAIT:
                return FilterResult.PENDING;
            case THROW:
                throw new IllegalStateException("scripted defect");
            default:
                return FilterResult.CONTINUE;
        }
    }

    /** A chain of {@code size} filters that continue, except position {@code at}, which does {@code req}/{@code resp}. */
    FilterChain chain(int size, int at, Act req, Act resp) {
        HttpFilter[] filters = new HttpFilter[size];
        for (int i = 0; i < size; i++) {
            filters[i] = i == at ? scripted(i, req, resp) : scripted(i, Act.CONTINUE, Act.CONTINUE);
        }
        return FilterChain.of(filters);
    }

    static List<String> hooks(String kind, int from, int toInclusive) {
        List<String> l = new ArrayList<>();
        if (from <= toInclusive) {
            for (int i = from; i <= toInclusive; i++) {
                l.add(kind + i);
            }
        } else {
            for (int i = from; i >= toInclusive; i--) {
                l.add(kind + i);
            }
        }
        return l;
    }

    FilterResult respond() {
        HttpResponseHead response = Heads.response("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        try {
            return exec.runResponse(response);
        } finally {
            response.release();
        }
    }

    /** Ends the request and starts the next. */
    void fresh() {
        exec.end();
        calls.clear();
        resumed.clear();
        exec.begin(head, null, resumed::add);
    }

    @Test
    void chainsOfEveryLengthRunRequestHooksInOrderAndResponseHooksInReverse() {
        for (int size = 1; size <= UnrolledRunner.MAX + 2; size++) {
            fresh();
            assertThat(exec.runRequest(chain(size, -1, null, null), null, null)).isEqualTo(FilterResult.CONTINUE);
            assertThat(respond()).isEqualTo(FilterResult.CONTINUE);
            List<String> expected = hooks("req", 0, size - 1);
            expected.addAll(hooks("resp", size - 1, 0));
            assertThat(calls).as("size %d", size).isEqualTo(expected);
        }
    }

    @Test
    void aRequestHookThatAnswersOrThrowsStopsTheChainAtItsPosition() {
        for (int size : new int[] {UnrolledRunner.MAX, UnrolledRunner.MAX + 1}) {
            for (int at = 0; at < size; at++) {
                fresh();
                assertThat(exec.runRequest(chain(size, at, Act.RESPOND, Act.CONTINUE), null, null))
                        .isEqualTo(FilterResult.RESPONDED);
                assertThat(exec.reply().status()).isEqualTo(403);
                assertThat(calls).as("size %d, answering at %d", size, at).isEqualTo(hooks("req", 0, at));

                fresh();
                assertThat(exec.runRequest(chain(size, at, Act.THROW, Act.CONTINUE), null, null))
                        .isEqualTo(FilterResult.RESPONDED);
                assertThat(exec.reply()).isSameAs(FilterExecution.FILTER_FAILED);
                assertThat(calls).as("size %d, throwing at %d", size, at).isEqualTo(hooks("req", 0, at));
            }
        }
    }

    @Test
    void aWaitAtAnyPositionResumesWithTheNextFilter() {
        for (int size : new int[] {UnrolledRunner.MAX, UnrolledRunner.MAX + 1}) {
            for (int at = 0; at < size; at++) {
                fresh();
                assertThat(exec.runRequest(chain(size, at, Act.WAIT, Act.CONTINUE), null, null))
                        .isEqualTo(FilterResult.PENDING);
                assertThat(calls).isEqualTo(hooks("req", 0, at));
                exec.resume(FilterResult.CONTINUE);
                assertThat(resumed).containsExactly(FilterResult.CONTINUE);
                assertThat(calls).as("size %d, waiting at %d", size, at).isEqualTo(hooks("req", 0, size - 1));
                exec = FilterExecution.create(loop.eventLoop()); // one that waited is retired
            }
        }
    }

    @Test
    void aResponseHookThatAnswersThrowsOrWaitsStopsTheReverseRunAtItsPosition() {
        for (int size : new int[] {UnrolledRunner.MAX, UnrolledRunner.MAX + 1}) {
            for (int at = 0; at < size; at++) {
                for (Act act : new Act[] {Act.RESPOND, Act.THROW, Act.WAIT}) {
                    fresh();
                    exec.runRequest(chain(size, at, Act.CONTINUE, act), null, null);
                    calls.clear();
                    assertThat(respond()).isEqualTo(FilterResult.RESPONDED);
                    assertThat(exec.reply().status()).isEqualTo(act == Act.RESPOND ? 403 : 500);
                    assertThat(calls).as("size %d, %s at %d", size, act, at).isEqualTo(hooks("resp", size - 1, at));
                }
            }
        }
    }

    static final class First implements HttpFilter {
        @Override
        public String name() {
            return "first";
        }
    }

    static final class Second implements HttpFilter {
        @Override
        public String name() {
            return "second";
        }
    }

    @Test
    void chainsOfDifferentFilterClassesGetTheirOwnRunnerClass() {
        Class<?> ab = FilterChain.of(new First(), new Second()).runner().getClass();
        Class<?> ba = FilterChain.of(new Second(), new First()).runner().getClass();
        assertThat(ab).isNotEqualTo(ba);
        assertThat(ab.isHidden()).as("a copy with its own type profiles").isTrue();
        assertThat(FilterChain.of(new First(), new Second()).runner().getClass())
                .as("the same filter classes in the same order share one")
                .isEqualTo(ab);
        assertThat(chain(UnrolledRunner.MAX + 1, -1, null, null).runner()).isInstanceOf(ChainRunner.LoopRunner.class);
    }
}
