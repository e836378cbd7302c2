package dev.meridian.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The launcher's Netty settings: production defaults that an operator's -D overrides. */
class NettyDefaultsTest {

    private String leak;
    private String ratio;

    @BeforeEach
    void save() {
        leak = System.getProperty(MeridianApplication.LEAK_DETECTION_PROPERTY);
        ratio = System.getProperty(MeridianApplication.RECYCLER_RATIO_PROPERTY);
    }

    @AfterEach
    void restore() {
        restore(MeridianApplication.LEAK_DETECTION_PROPERTY, leak);
        restore(MeridianApplication.RECYCLER_RATIO_PROPERTY, ratio);
    }

    @Test
    void disablesLeakSamplingAndKeepsEveryRecycledObjectByDefault() {
        System.clearProperty(MeridianApplication.LEAK_DETECTION_PROPERTY);
        System.clearProperty(MeridianApplication.RECYCLER_RATIO_PROPERTY);

        MeridianApplication.applyNettyDefaults();

        assertThat(System.getProperty("io.netty.leakDetection.level")).isEqualTo("disabled");
        assertThat(System.getProperty("io.netty.recycler.ratio")).isEqualTo("1");
    }

    @Test
    void operatorSettingsWin() {
        System.setProperty(MeridianApplication.LEAK_DETECTION_PROPERTY, "paranoid");
        System.setProperty(MeridianApplication.RECYCLER_RATIO_PROPERTY, "8");

        MeridianApplication.applyNettyDefaults();

        assertThat(System.getProperty("io.netty.leakDetection.level")).isEqualTo("paranoid");
        assertThat(System.getProperty("io.netty.recycler.ratio")).isEqualTo("8");
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }
}
