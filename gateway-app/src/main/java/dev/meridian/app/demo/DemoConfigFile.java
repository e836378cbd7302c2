package dev.meridian.app.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.springframework.core.io.ClassPathResource;

/**
 * The demo's config, {@code demo/proxy.toml} on the classpath: the reference example of the
 * original design, unchanged.
 */
public final class DemoConfigFile {

    /** Classpath location of the demo config. */
    public static final String LOCATION = "demo/proxy.toml";

    private DemoConfigFile() {
    }

    /**
     * Copies the demo config to a temporary file and returns its path: {@code ConfigLoader} reads
     * a {@link Path}, and inside {@code meridian.jar} the resource is a jar entry, not a file.
     */
    public static Path extract() {
        try (InputStream in = new ClassPathResource(LOCATION).getInputStream()) {
            Path file = Files.createTempFile("meridian-demo-", ".toml");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot extract " + LOCATION + " from the classpath", e);
        }
    }
}
