package dev.meridian.engine.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of integration tests that proxy to one {@link TestOrigin} named "o1": started before
 * the class's tests, closed after them, with what it received cleared before each test.
 *
 * <p>The field is static in this class, so it is shared by every subclass: test classes run one
 * at a time here (no JUnit parallel execution), and each class starts and closes its own origin.
 */
public abstract class WithTestOrigin {

    protected static TestOrigin origin;

    @BeforeAll
    public static void startOrigin() throws Exception {
        origin = TestOrigin.start("o1");
    }

    @AfterAll
    public static void stopOrigin() {
        origin.close();
    }

    @BeforeEach
    public void clearReceived() {
        origin.received.clear();
    }
}
