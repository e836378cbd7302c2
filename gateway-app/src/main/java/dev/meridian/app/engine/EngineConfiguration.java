package dev.meridian.app.engine;

import dev.meridian.app.MeridianProperties;
import dev.meridian.app.demo.DemoConfigFile;
import dev.meridian.app.demo.DemoConfiguration;
import dev.meridian.engine.GatewayEngine;
import org.springframework.boot.ApplicationArguments;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/** Declares the engine, the config file it serves, and the lifecycle that ties them to the context. */
@Configuration(proxyBeanMethods = false)
public class EngineConfiguration {

    @Bean
    GatewayEngine gatewayEngine(MeridianProperties properties) {
        return new GatewayEngine(properties.engineOptions());
    }

    /** Resolved as a bean so that a missing file fails the context before anything binds a port. */
    @Bean
    EngineConfigFile engineConfigFile(ApplicationArguments args, MeridianProperties properties, Environment env) {
        boolean demo = env.acceptsProfiles(Profiles.of(DemoConfiguration.PROFILE));
        return EngineConfigFile.resolve(args.getNonOptionArgs(), properties.configFile(),
                demo ? DemoConfigFile::extract : null);
    }

    @Bean
    EngineLifecycle engineLifecycle(GatewayEngine engine, EngineConfigFile configFile) {
        return new EngineLifecycle(engine, configFile);
    }
}
