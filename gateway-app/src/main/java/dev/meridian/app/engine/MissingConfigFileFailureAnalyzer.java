package dev.meridian.app.engine;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a {@link MissingConfigFileException} into Boot's short startup report instead of a stack trace. */
public final class MissingConfigFileFailureAnalyzer extends AbstractFailureAnalyzer<MissingConfigFileException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MissingConfigFileException cause) {
        return new FailureAnalysis(cause.problem() + ".", MissingConfigFileException.HOW_TO_RUN + ".", cause);
    }
}
