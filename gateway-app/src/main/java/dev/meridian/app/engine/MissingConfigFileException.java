package dev.meridian.app.engine;

import java.nio.file.Path;

/**
 * Thrown at startup when Meridian has no config file to serve; its message is one line that says
 * how to run it, which {@link MissingConfigFileFailureAnalyzer} shows instead of a stack trace.
 */
public final class MissingConfigFileException extends RuntimeException {

    /** How to run Meridian, shared by every variant of this failure. */
    public static final String HOW_TO_RUN = "Run `java -jar meridian.jar proxy.toml` (or set meridian.config-file), "
            + "or try the demo with `java -jar meridian.jar --spring.profiles.active=demo`";

    private final String problem;

    private MissingConfigFileException(String problem) {
        super(problem + ". " + HOW_TO_RUN + ".");
        this.problem = problem;
    }

    static MissingConfigFileException none() {
        return new MissingConfigFileException("Meridian has no config file to serve");
    }

    static MissingConfigFileException notFound(Path path) {
        return new MissingConfigFileException("Config file " + path + " does not exist");
    }

    /** What is wrong, without the advice. */
    public String problem() {
        return problem;
    }
}
