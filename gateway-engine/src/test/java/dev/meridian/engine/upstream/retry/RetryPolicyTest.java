package dev.meridian.engine.upstream.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.engine.config.RetryPolicySpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static RetryPolicy policy(List<String> on, int retries, List<Integer> codes, boolean nonIdempotent) {
        return RetryPolicy.of(new RetryPolicySpec(on, retries, null, null, null, codes, nonIdempotent));
    }

    @Test
    void withoutAPolicyAConnectFailureOrUnsentRequestIsRetriedOnceForAnyMethod() {
        RetryPolicy d = RetryPolicy.of(null);
        assertThat(d).isSameAs(RetryPolicy.defaults());
        assertThat(d.shouldRetry(RetryCause.CONNECT_FAILURE, 0, 0, false, false)).isTrue(); // even a POST
        assertThat(d.shouldRetry(RetryCause.RESET_BEFORE_SEND, 0, 0, false, false)).isTrue();
        assertThat(d.shouldRetry(RetryCause.CONNECT_FAILURE, 0, 1, true, true)).isFalse(); // once
        assertThat(d.shouldRetry(RetryCause.RESET, 0, 0, true, true)).isFalse(); // the origin may have acted
        assertThat(d.shouldRetry(RetryCause.PER_TRY_TIMEOUT, 0, 0, true, true)).isFalse();
        assertThat(d.shouldRetry(RetryCause.RESPONSE, 503, 0, true, true)).isFalse();
        assertThat(d.backoffNanos(1, new java.util.SplittableRandom(1))).isZero(); // at once, like nginx
        assertThat(d.perTryTimeoutMs()).isZero();
    }

    @Test
    void fiveXxCoversEveryServerErrorResetConnectFailureAndPerTryTimeout() {
        RetryPolicy p = policy(List.of("5xx"), 2, null, false);
        for (int status : new int[] {500, 502, 503, 504, 599}) {
            assertThat(p.retriesOn(RetryCause.RESPONSE, status)).as("%d", status).isTrue();
        }
        assertThat(p.retriesOn(RetryCause.RESPONSE, 404)).isFalse();
        assertThat(p.retriesOn(RetryCause.RESET, 0)).isTrue();
        assertThat(p.retriesOn(RetryCause.CONNECT_FAILURE, 0)).isTrue();
        assertThat(p.retriesOn(RetryCause.PER_TRY_TIMEOUT, 0)).isTrue();
    }

    @Test
    void gatewayErrorCoversOnly502503504AmongStatuses() {
        RetryPolicy p = policy(List.of("gateway-error"), 1, null, false);
        assertThat(p.retriesOn(RetryCause.RESPONSE, 500)).isFalse();
        assertThat(p.retriesOn(RetryCause.RESPONSE, 502)).isTrue();
        assertThat(p.retriesOn(RetryCause.RESPONSE, 503)).isTrue();
        assertThat(p.retriesOn(RetryCause.RESPONSE, 504)).isTrue();
        assertThat(p.retriesOn(RetryCause.CONNECT_FAILURE, 0)).isTrue();
    }

    @Test
    void retriableStatusCodesRetryExactlyTheListedStatuses() {
        RetryPolicy p = policy(List.of("retriable-status-codes"), 1, List.of(409, 429), false);
        assertThat(p.retriesOn(RetryCause.RESPONSE, 429)).isTrue();
        assertThat(p.retriesOn(RetryCause.RESPONSE, 409)).isTrue();
        assertThat(p.retriesOn(RetryCause.RESPONSE, 500)).isFalse();
        assertThat(p.retriesOn(RetryCause.CONNECT_FAILURE, 0)).isFalse();
    }

    @Test
    void nonIdempotentRequestsAreRetriedAfterSendingOnlyWhenAllowed() {
        RetryPolicy strict = policy(List.of("5xx"), 3, null, false);
        assertThat(strict.shouldRetry(RetryCause.RESPONSE, 503, 0, false, true)).isFalse(); // POST
        assertThat(strict.shouldRetry(RetryCause.RESPONSE, 503, 0, true, true)).isTrue(); // GET
        assertThat(strict.shouldRetry(RetryCause.CONNECT_FAILURE, 0, 0, false, false)).isTrue(); // nothing sent
        RetryPolicy lax = policy(List.of("5xx"), 3, null, true);
        assertThat(lax.shouldRetry(RetryCause.RESPONSE, 503, 2, false, true)).isTrue();
        assertThat(lax.shouldRetry(RetryCause.RESPONSE, 503, 3, false, true)).isFalse(); // retries used up
    }

    @Test
    void aStreamedBodyThatCannotBeReplayedIsNeverRetriedAfterSending() {
        RetryPolicy p = policy(List.of("reset"), 1, null, true);
        assertThat(p.shouldRetry(RetryCause.RESET, 0, 0, true, false)).isFalse();
        assertThat(p.shouldRetry(RetryCause.RESET, 0, 0, true, true)).isTrue();
    }

    @Test
    void defaultRetryOnOfAConfiguredPolicyIsConnectFailureAndReset() {
        RetryPolicy p = RetryPolicy.of(new RetryPolicySpec(null, null, null, null, null, null, null));
        assertThat(p.describe()).containsExactly("connect-failure", "reset");
        assertThat(p.numRetries()).isEqualTo(1);
        assertThat(p.backoff()).isEqualTo(new Backoff(25_000_000L, 250_000_000L));
    }

    @Test
    void idempotentMethodsAreThoseOfRfc9110() {
        for (String m : List.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE")) {
            assertThat(RetryPolicy.isIdempotent(m)).as(m).isTrue();
        }
        for (String m : List.of("POST", "PATCH", "CONNECT", "get")) {
            assertThat(RetryPolicy.isIdempotent(m)).as(m).isFalse();
        }
    }
}
