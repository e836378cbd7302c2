package dev.meridian.app.engine;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an {@link InvalidConfigFileException} into Boot's startup report listing every field error. */
public final class InvalidConfigFileFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConfigFileException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidConfigFileException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Fix the fields above in " + cause.path() + " and start Meridian again.", cause);
    }
}
