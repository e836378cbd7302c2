package dev.meridian.engine.testing;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A steady client load against a gateway while a test changes something underneath (a reload,
 * a dying origin): each worker sends GETs until stopped and records every non-200 or exception.
 */
public final class LoadLoop implements AutoCloseable {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger ok = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final List<CompletableFuture<Void>> workers = new ArrayList<>();

    private LoadLoop(TestGateway gw, String path, int concurrency) {
        for (int t = 0; t < concurrency; t++) {
            workers.add(CompletableFuture.runAsync(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> r = gw.get(path);
                        if (r.statusCode() == 200) {
                            ok.incrementAndGet();
                        } else {
                            failures.add(r.statusCode() + " " + r.body());
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            }));
        }
    }

    /** Starts {@code concurrency} workers sending {@code GET path} to {@code gw}. */
    public static LoadLoop start(TestGateway gw, String path, int concurrency) {
        return new LoadLoop(gw, path, concurrency);
    }

    /** Stops the workers and waits for their last requests. */
    @Override
    public void close() {
        running.set(false);
        CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
    }

    /** Requests answered 200 so far. */
    public int ok() {
        return ok.get();
    }

    /** Every non-200 status (with its body) and every exception, in arrival order. */
    public List<String> failures() {
        return List.copyOf(failures);
    }
}
