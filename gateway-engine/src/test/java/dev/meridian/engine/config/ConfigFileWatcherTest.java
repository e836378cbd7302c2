package dev.meridian.engine.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileWatcherTest {

    private static final long WAIT_S = 5;

    @TempDir
    Path dir;

    private final BlockingQueue<GatewaySnapshot> changes = new LinkedBlockingQueue<>();
    private final BlockingQueue<ConfigValidationException> invalid = new LinkedBlockingQueue<>();
    private ConfigFileWatcher watcher;

    @AfterEach
    void close() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private static String config(int timeoutMs) {
        return """
                [[listeners]]
                name = "http"
                address = "127.0.0.1:0"

                [[clusters]]
                name = "backend"
                connect_timeout_ms = %d
                endpoints = [{ address = "127.0.0.1:9001" }]
                """.formatted(timeoutMs);
    }

    private static long timeoutOf(GatewaySnapshot s) {
        return s.clusters().get(0).connectTimeoutMs();
    }

    private void start(Path file) {
        watcher = ConfigFileWatcher.start(file, changes::add, invalid::add);
    }

    @Test
    void reportsEachRewriteWithItsContent() throws Exception {
        Path file = Files.writeString(dir.resolve("gateway.toml"), config(1000));
        start(file);
        assertThat(watcher.lastGood()).isNotNull();

        for (int i = 1; i <= 5; i++) {
            Files.writeString(file, config(1000 + i));
            GatewaySnapshot s = changes.poll(WAIT_S, TimeUnit.SECONDS);
            assertThat(s).as("change %d", i).isNotNull();
            assertThat(timeoutOf(s)).isEqualTo(1000 + i);
        }
        assertThat(changes.poll(700, TimeUnit.MILLISECONDS)).isNull();
        assertThat(invalid).isEmpty();
        assertThat(timeoutOf(watcher.lastGood())).isEqualTo(1005);
    }

    @Test
    void invalidWriteKeepsLastGoodThenValidWriteIsReported() throws Exception {
        Path file = Files.writeString(dir.resolve("gateway.toml"), config(1000));
        start(file);

        Files.writeString(file, config(-5));
        ConfigValidationException e = invalid.poll(WAIT_S, TimeUnit.SECONDS);
        assertThat(e).isNotNull();
        assertThat(e.errors()).extracting(ConfigError::field).containsExactly("clusters[0].connect_timeout_ms");
        assertThat(timeoutOf(watcher.lastGood())).isEqualTo(1000);
        assertThat(changes).isEmpty();

        Files.writeString(file, config(2000));
        assertThat(timeoutOf(changes.poll(WAIT_S, TimeUnit.SECONDS))).isEqualTo(2000);
    }

    @Test
    void aSaveThatTruncatesThenWritesLaterIsAppliedNotReportedInvalid() throws Exception {
        Path file = Files.writeString(dir.resolve("gateway.toml"), config(1000));
        start(file);

        // As "cat new > gateway.toml" on a busy host: the truncation, then the content well after
        // the quiet period.
        Files.writeString(file, "");
        Thread.sleep(ConfigFileWatcher.DEBOUNCE_MS * 4);
        Files.writeString(file, config(3000));

        GatewaySnapshot s = changes.poll(WAIT_S, TimeUnit.SECONDS);
        assertThat(s).isNotNull();
        assertThat(timeoutOf(s)).isEqualTo(3000);
        assertThat(invalid).isEmpty();
    }

    @Test
    void aFileLeftEmptyIsReportedInvalidAndTheLastGoodConfigStays() throws Exception {
        Path file = Files.writeString(dir.resolve("gateway.toml"), config(1000));
        start(file);

        Files.writeString(file, "");
        ConfigValidationException e = invalid.poll(WAIT_S, TimeUnit.SECONDS);
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("an empty document");
        assertThat(timeoutOf(watcher.lastGood())).isEqualTo(1000);
        assertThat(changes).isEmpty();
    }

    @Test
    void seesFilesReplacedByRenameAsEditorsDo() throws Exception {
        Path file = Files.writeString(dir.resolve("gateway.yaml"), "listeners: [{name: http, address: '127.0.0.1:0'}]\n");
        start(file);

        Path tmp = Files.writeString(dir.resolve(".gateway.yaml.swp"),
                "listeners: [{name: renamed, address: '127.0.0.1:0'}]\n");
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        GatewaySnapshot s = changes.poll(WAIT_S, TimeUnit.SECONDS);
        assertThat(s).isNotNull();
        assertThat(s.listeners().get(0).name()).isEqualTo("renamed");
    }

    @Test
    void equivalentRewriteIsNotReported() throws Exception {
        Path file = Files.writeString(dir.resolve("gateway.toml"), config(1000));
        start(file);

        Files.writeString(file, "# only a comment changed\n" + config(1000));
        Files.writeString(file, config(3000));
        // The comment-only edit produced no callback; the next real change did.
        assertThat(timeoutOf(changes.poll(WAIT_S, TimeUnit.SECONDS))).isEqualTo(3000);
        assertThat(changes.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void startingWithACurrentSnapshotReportsAnEditMadeBeforeStart() throws Exception {
        Path file = Files.writeString(dir.resolve("gateway.toml"), config(1000));
        GatewaySnapshot served = ConfigLoader.load(file);
        Files.writeString(file, config(1500));

        watcher = ConfigFileWatcher.start(file, served, changes::add, invalid::add);

        assertThat(timeoutOf(changes.poll(WAIT_S, TimeUnit.SECONDS))).isEqualTo(1500);
    }

    @Test
    void runsOnADaemonThreadNamedForItsRole() throws Exception {
        Path file = Files.writeString(dir.resolve("gateway.toml"), config(1000));
        Thread[] seen = new Thread[1];
        watcher = ConfigFileWatcher.start(file, s -> {
            seen[0] = Thread.currentThread();
            changes.add(s);
        }, invalid::add);
        Files.writeString(file, config(1001));
        assertThat(changes.poll(WAIT_S, TimeUnit.SECONDS)).isNotNull();
        assertThat(seen[0].getName()).isEqualTo(ConfigFileWatcher.THREAD_NAME);
        assertThat(seen[0].isDaemon()).isTrue();

        watcher.close();
        Files.writeString(file, config(1002));
        assertThat(changes.poll(800, TimeUnit.MILLISECONDS)).isNull();
    }
}
