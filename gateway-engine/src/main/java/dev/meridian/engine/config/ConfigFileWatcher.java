package dev.meridian.engine.config;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one config file and hands each new valid snapshot to a callback: the hot-reload half of
 * running the gateway from a file.
 *
 * <p>It watches the file's directory rather than the file, because editors and Kubernetes
 * ConfigMaps replace files by renaming a new one over them, and it also polls modification time,
 * size and file key every {@value #POLL_INTERVAL_MS} ms because {@link WatchService} misses events
 * on some filesystems (NFS, some container overlays) and falls back to slow polling on others.
 * Events are debounced by {@value #DEBOUNCE_MS} ms so that a save written in several steps is read
 * once, complete; a file found empty (truncated by a shell or {@code cp}, not yet written) is read
 * again up to {@value #MAX_DEBOUNCE_MS} ms later before it is reported as invalid.
 *
 * <p>{@code onChange} runs only when the parsed snapshot differs from the last good one; an invalid
 * file goes to {@code onInvalid} (once per distinct content) and the last good snapshot stays.
 * "Valid" is {@link ConfigLoader#load}'s check, which leaves filter entries to the engine: a
 * handler that applies the snapshot hears of a bad filter entry as the engine's
 * {@link ConfigValidationException}, with the same field path and message.
 * Both callbacks run on the watcher's daemon thread, {@value #THREAD_NAME}.
 */
public final class ConfigFileWatcher implements AutoCloseable {

    public static final String THREAD_NAME = "meridian-config-watcher";
    /** Fallback poll period; also the longest a missed watch event delays a reload. */
    public static final long POLL_INTERVAL_MS = 500;
    /** Quiet time after the last event before reading: long enough to cover a multi-write save. */
    public static final long DEBOUNCE_MS = 100;
    /** Longest a stream of events may postpone a reload. */
    public static final long MAX_DEBOUNCE_MS = 1000;

    private static final Logger log = LoggerFactory.getLogger(ConfigFileWatcher.class);

    private final Path file;
    private final ConfigFormat format;
    private final Consumer<GatewaySnapshot> onChange;
    private final Consumer<ConfigValidationException> onInvalid;
    private final WatchService watchService;
    private final Thread thread;
    private volatile boolean closed;

    /** Guarded by the watcher thread after start. */
    private volatile GatewaySnapshot lastGood;
    private String lastText;
    private FileStamp lastStamp;
    /** The last read found the file empty, once: the next empty read is reported as invalid. */
    private boolean blankSeen;

    private ConfigFileWatcher(Path file, GatewaySnapshot baseline, boolean checkNow,
            Consumer<GatewaySnapshot> onChange, Consumer<ConfigValidationException> onInvalid) throws IOException {
        this.file = file.toAbsolutePath().normalize();
        this.format = ConfigFormat.ofFileName(this.file.getFileName().toString());
        this.onChange = Objects.requireNonNull(onChange, "onChange");
        this.onInvalid = Objects.requireNonNull(onInvalid, "onInvalid");
        this.lastGood = baseline;
        this.watchService = this.file.getFileSystem().newWatchService();
        this.file.getParent().register(watchService, StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        this.lastStamp = FileStamp.of(this.file);
        if (!checkNow) {
            // Baseline taken from the file itself: remember its text so an unchanged file is not re-read as news.
            try {
                this.lastText = ConfigLoader.read(this.file);
            } catch (ConfigValidationException e) {
                this.lastText = null;
            }
        }
        this.thread = new Thread(() -> run(checkNow), THREAD_NAME);
        this.thread.setDaemon(true);
    }

    /**
     * Starts watching {@code file}; its current content becomes the baseline (when invalid or
     * missing, there is no baseline and the first valid content is reported as a change).
     *
     * @throws ConfigValidationException when the file's extension names no known format
     */
    public static ConfigFileWatcher start(Path file, Consumer<GatewaySnapshot> onChange,
            Consumer<ConfigValidationException> onInvalid) {
        GatewaySnapshot baseline;
        try {
            baseline = ConfigLoader.load(file);
        } catch (ConfigValidationException e) {
            ConfigFormat.ofFileName(file.getFileName().toString());
            baseline = null;
        }
        return start(file, baseline, false, onChange, onInvalid);
    }

    /**
     * Starts watching {@code file} with {@code current} (the snapshot the caller serves) as the
     * baseline, and checks the file once right away: this closes the gap between a caller's own
     * {@link ConfigLoader#load} and the watcher's start, in which an edit would otherwise be lost.
     */
    public static ConfigFileWatcher start(Path file, GatewaySnapshot current, Consumer<GatewaySnapshot> onChange,
            Consumer<ConfigValidationException> onInvalid) {
        return start(file, current, true, onChange, onInvalid);
    }

    private static ConfigFileWatcher start(Path file, GatewaySnapshot baseline, boolean checkNow,
            Consumer<GatewaySnapshot> onChange, Consumer<ConfigValidationException> onInvalid) {
        ConfigFileWatcher watcher;
        try {
            watcher = new ConfigFileWatcher(file, baseline, checkNow, onChange, onInvalid);
        } catch (IOException e) {
            throw new ConfigValidationException(java.util.List.of(new ConfigError("file",
                    SnapshotValidator.show(file.toString()), "a file in a watchable directory ("
                    + e.getClass().getSimpleName() + ")")));
        }
        watcher.thread.start();
        return watcher;
    }

    /** The last valid snapshot read from the file (or given at start), or null if there was none. */
    public GatewaySnapshot lastGood() {
        return lastGood;
    }

    /** Stops watching; callbacks in progress finish, none start afterwards. Idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            watchService.close();
        } catch (IOException e) {
            log.debug("closing the watch service failed", e);
        }
        if (Thread.currentThread() != thread) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run(boolean checkNow) {
        long dueAt = checkNow ? System.nanoTime() : Long.MAX_VALUE;
        long nextPoll = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(POLL_INTERVAL_MS);
        long pendingSince = System.nanoTime();
        while (!closed) {
            try {
                long now = System.nanoTime();
                long waitNanos = Math.max(0, Math.min(dueAt, nextPoll) - now);
                WatchKey key = watchService.poll(waitNanos, TimeUnit.NANOSECONDS);
                if (key != null) {
                    // Any event in the directory counts: a ConfigMap swaps a "..data" symlink, not our
                    // file's name. Overflow counts too. Reading is cheap and parsing filters no-ops.
                    key.pollEvents();
                    key.reset();
                    now = System.nanoTime();
                    if (dueAt == Long.MAX_VALUE) {
                        pendingSince = now;
                    }
                    // Each event restarts the quiet period, but a directory that never goes quiet
                    // (a log written next to the config) must not postpone the reload forever.
                    dueAt = Math.min(now + TimeUnit.MILLISECONDS.toNanos(DEBOUNCE_MS),
                            pendingSince + TimeUnit.MILLISECONDS.toNanos(MAX_DEBOUNCE_MS));
                    continue;
                }
                now = System.nanoTime();
                if (now - nextPoll >= 0) {
                    nextPoll = now + TimeUnit.MILLISECONDS.toNanos(POLL_INTERVAL_MS);
                    FileStamp stamp = FileStamp.of(file);
                    if (!stamp.equals(lastStamp) && dueAt == Long.MAX_VALUE) {
                        dueAt = now + TimeUnit.MILLISECONDS.toNanos(DEBOUNCE_MS);
                    }
                }
                if (dueAt - now <= 0) {
                    if (reload()) {
                        // Found empty: look again later, and let the write that follows get its
                        // full quiet period (its events measure the cap from now, not from before).
                        pendingSince = now;
                        dueAt = now + TimeUnit.MILLISECONDS.toNanos(MAX_DEBOUNCE_MS);
                    } else {
                        dueAt = Long.MAX_VALUE;
                    }
                }
            } catch (ClosedWatchServiceException | InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // A throwing callback must not end hot reload for the life of the process.
                log.warn("config watcher callback failed for {}", file, e);
            }
        }
    }

    /** Reads the file and applies or reports it; returns whether to look again soon instead. */
    private boolean reload() {
        lastStamp = FileStamp.of(file);
        String text;
        GatewaySnapshot snapshot;
        try {
            text = ConfigLoader.read(file);
        } catch (ConfigValidationException e) {
            if (lastText != null) {
                lastText = null;
                report(e);
            }
            return false;
        }
        if (text.isBlank() && !blankSeen) {
            // Shells ("> file") and cp truncate before they write: on a busy host the write can
            // come after the quiet period. An empty file is never a config: look once more
            // before calling it invalid (the write's own event usually comes first).
            blankSeen = true;
            return true;
        }
        blankSeen = false;
        if (text.equals(lastText)) {
            return false;
        }
        lastText = text;
        try {
            snapshot = ConfigLoader.parseAndCheck(text, format);
        } catch (ConfigValidationException e) {
            report(e);
            return false;
        }
        if (!snapshot.equals(lastGood)) {
            lastGood = snapshot;
            if (!closed) {
                onChange.accept(snapshot);
            }
        }
        return false;
    }

    private void report(ConfigValidationException e) {
        log.info("config file {} is invalid, keeping the last good config: {}", file, e.getMessage());
        if (!closed) {
            onInvalid.accept(e);
        }
    }

    /** What the poll fallback compares: modification time, size and identity (a rename changes the key). */
    private record FileStamp(long modifiedNanos, long size, Object fileKey) {

        static final FileStamp MISSING = new FileStamp(-1, -1, null);

        static FileStamp of(Path file) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                return new FileStamp(a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.size(), a.fileKey());
            } catch (IOException e) {
                return MISSING;
            }
        }
    }
}
