package dev.meridian.engine;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine's dependency rules (ARCHITECTURE.md, STYLE.md "Dependencies point inward"). */
class ArchitectureTest {

    static JavaClasses engine;

    @BeforeAll
    static void importEngine() {
        engine = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.meridian.engine");
    }

    @Test
    void engineNeverImportsSpring() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..")
                .because("the data plane is plain Java; Spring lives in gateway-admin and gateway-app")
                .check(engine);
    }

    @Test
    void clusterNeverImportsProxyOrFilter() {
        noClasses().that().resideInAPackage("dev.meridian.engine.cluster..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.meridian.engine.proxy..",
                        "dev.meridian.engine.filter..", "dev.meridian.engine.listener..")
                .check(engine);
    }

    @Test
    void configIsTheInboundContractAndDependsOnNoOtherEnginePackage() {
        noClasses().that().resideInAPackage("dev.meridian.engine.config..")
                .should().dependOnClassesThat(resideInAPackage("dev.meridian.engine..")
                        .and(resideOutsideOfPackage("dev.meridian.engine.config..")))
                .because("config is what admin and files hand the engine (ARCHITECTURE.md: config depends on "
                        + "nothing else); filter entries are checked by SnapshotCompiler, which knows both")
                .check(engine);
    }

    @Test
    void codecKnowsNothingOfProxyingOrConfig() {
        noClasses().that().resideInAPackage("dev.meridian.engine.codec..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.meridian.engine.proxy..",
                        "dev.meridian.engine.upstream..", "dev.meridian.engine.route..",
                        "dev.meridian.engine.cluster..", "dev.meridian.engine.config..",
                        "dev.meridian.engine.runtime..", "dev.meridian.engine.listener..")
                .check(engine);
    }

    @Test
    void upstreamNeverImportsProxyOrListener() {
        noClasses().that().resideInAPackage("dev.meridian.engine.upstream..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.meridian.engine.proxy..",
                        "dev.meridian.engine.listener..", "dev.meridian.engine.filter..")
                .check(engine);
    }

    @Test
    void filterSeesRequestsNotTheProxyMachinery() {
        noClasses().that().resideInAPackage("dev.meridian.engine.filter..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.meridian.engine.proxy..",
                        "dev.meridian.engine.listener..", "dev.meridian.engine.upstream..",
                        "dev.meridian.engine.cluster..", "dev.meridian.engine.route..",
                        "dev.meridian.engine.runtime..")
                .because("filters are compiled into routes and run by the exchange, never the other way round")
                .check(engine);
    }
}
