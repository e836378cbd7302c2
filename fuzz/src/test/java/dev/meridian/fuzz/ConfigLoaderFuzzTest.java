package dev.meridian.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meridian.engine.config.ConfigFormat;
import dev.meridian.engine.config.ConfigLoader;
import dev.meridian.engine.config.ConfigValidationException;
import dev.meridian.engine.config.GatewaySnapshot;
import dev.meridian.engine.runtime.SnapshotCompiler;

/**
 * Fuzzes the TOML / YAML / JSON config loader and the engine's snapshot validation (the config
 * checks and each filter factory's settings checks).
 *
 * <p>Invariant: whatever the text, {@code parse} either returns a snapshot or throws
 * {@link ConfigValidationException}, and {@code validate} on that snapshot returns a list and never
 * throws: a bad config file must be reported, not crash the loader or the admin API.
 */
class ConfigLoaderFuzzTest {

    @FuzzTest
    void throwsOnlyConfigValidationException(FuzzedDataProvider data) {
        ConfigFormat[] formats = ConfigFormat.values();
        ConfigFormat format = formats[data.consumeInt(0, formats.length - 1)];
        String text = data.consumeRemainingAsString();
        GatewaySnapshot snapshot;
        try {
            snapshot = ConfigLoader.parse(text, format);
        } catch (ConfigValidationException expected) {
            if (expected.getMessage() == null) {
                throw new AssertionError("validation exception without message");
            }
            return;
        }
        SnapshotCompiler.validate(snapshot);
    }
}
