package dev.unitguard.arch;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package graph of docs/architecture.md, checked on the compiled main classes (so a fully-qualified name written
 * inline counts as much as an import). Each package is one layer and may use only the layers beneath it; every class
 * must sit in a layer; the pure core uses only the JDK (JSON through dev.unitguard.json); each library stays in the
 * package made for it; no internal API of the JDK or a library is used, except the two named below with their reasons.
 */
@AnalyzeClasses(packages = "dev.unitguard", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String[] LAYERS = {
        "dev.unitguard.json", "dev.unitguard.host", "dev.unitguard.linux", "dev.unitguard.unit", "dev.unitguard.sandbox",
        "dev.unitguard.exposure", "dev.unitguard.perms", "dev.unitguard.systemd..", "dev.unitguard.probe",
        "dev.unitguard.recommend", "dev.unitguard.check", "dev.unitguard.apply", "dev.unitguard.learn",
        "dev.unitguard.config", "dev.unitguard.metrics",
        "dev.unitguard.api", "dev.unitguard.agent", "dev.unitguard.cli",
    };

    @ArchTest
    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            // the one JSON configuration (Jackson only), beneath everything: any layer may read and write JSON
            .layer("json").definedBy("dev.unitguard.json")
            // the machine: no-follow file operations, file facts, accounts, ACLs; the JDK only
            .layer("host").definedBy("dev.unitguard.host")
            // the native extended-attribute reader behind host's XattrSource
            .layer("linux").definedBy("dev.unitguard.linux")
            .layer("unit").definedBy("dev.unitguard.unit")
            .layer("sandbox").definedBy("dev.unitguard.sandbox")
            .layer("exposure").definedBy("dev.unitguard.exposure")
            .layer("perms").definedBy("dev.unitguard.perms")
            .layer("systemd").definedBy("dev.unitguard.systemd..")
            .layer("probe").definedBy("dev.unitguard.probe")
            .layer("recommend").definedBy("dev.unitguard.recommend")
            .layer("check").definedBy("dev.unitguard.check")
            .layer("apply").definedBy("dev.unitguard.apply")
            // requirements learned from a running service: a transient sampler unit, /proc, the stored manifests
            .layer("learn").definedBy("dev.unitguard.learn")
            .layer("config").definedBy("dev.unitguard.config")
            .layer("metrics").definedBy("dev.unitguard.metrics")
            .layer("api").definedBy("dev.unitguard.api")
            .layer("agent").definedBy("dev.unitguard.agent")
            .layer("cli").definedBy("dev.unitguard.cli")
            .whereLayer("json").mayNotAccessAnyLayer()
            .whereLayer("host").mayOnlyAccessLayers("json")
            .whereLayer("linux").mayOnlyAccessLayers("json", "host")
            .whereLayer("unit").mayOnlyAccessLayers("json", "host")
            .whereLayer("sandbox").mayOnlyAccessLayers("json", "host", "unit")
            .whereLayer("exposure").mayOnlyAccessLayers("json", "host", "unit")
            .whereLayer("perms").mayOnlyAccessLayers("json", "host", "unit", "sandbox")
            // D-Bus and the journal; host runs journalctl (ProcessRunner)
            .whereLayer("systemd").mayOnlyAccessLayers("json", "host")
            .whereLayer("probe").mayOnlyAccessLayers("json", "host", "unit", "sandbox", "systemd")
            // the search for the strongest sandbox that passes the static check, and check's suggestions
            .whereLayer("recommend").mayOnlyAccessLayers("json", "host", "unit", "sandbox", "exposure", "probe")
            .whereLayer("check").mayOnlyAccessLayers(
                    "json", "host", "unit", "sandbox", "exposure", "perms", "probe", "recommend")
            .whereLayer("apply").mayOnlyAccessLayers("json",
                    "host", "unit", "sandbox", "exposure", "perms", "systemd", "probe", "recommend", "check")
            .whereLayer("learn").mayOnlyAccessLayers("json", "host", "unit", "sandbox", "systemd", "apply")
            .whereLayer("config").mayOnlyAccessLayers("json", "apply")
            .whereLayer("metrics").mayOnlyAccessLayers("json",
                    "host", "unit", "sandbox", "exposure", "perms", "systemd", "apply")
            .whereLayer("api").mayOnlyAccessLayers("json", "host", "unit", "sandbox", "exposure", "perms", "systemd",
                    "probe", "recommend", "check", "apply", "learn", "config", "metrics")
            .whereLayer("agent").mayOnlyAccessLayers("json", "host", "unit", "sandbox", "exposure", "perms", "systemd",
                    "probe", "recommend", "check", "apply", "learn", "config", "metrics", "api")
            .whereLayer("cli").mayNotBeAccessedByAnyLayer();

    @ArchTest
    static final ArchRule everyClassInALayer = classes().should().resideInAnyPackage(LAYERS)
            .because("a new package needs its place in the layers (docs/architecture.md)");

    @ArchTest
    static final ArchRule pureCore = classes()
            .that().resideInAnyPackage("dev.unitguard.host", "dev.unitguard.unit", "dev.unitguard.sandbox",
                    "dev.unitguard.exposure", "dev.unitguard.perms", "dev.unitguard.probe", "dev.unitguard.recommend",
                    "dev.unitguard.check")
            .should().onlyDependOnClassesThat().resideInAnyPackage(
                    "java..", "dev.unitguard..", "com.fasterxml.jackson.annotation..")
            .because("the model is plain Java: testable without a bus, a socket or a server; manifests and "
                    + "reports are read and written through dev.unitguard.json (a record may carry Jackson's "
                    + "annotations, which only describe its JSON form)");

    @ArchTest
    static final ArchRule jacksonWhereJsonIsMapped = noClasses()
            .that().resideOutsideOfPackages("dev.unitguard.json", "dev.unitguard.api", "dev.unitguard.apply",
                    "dev.unitguard.config", "dev.unitguard.cli", "dev.unitguard.systemd")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "com.fasterxml.jackson.databind..", "com.fasterxml.jackson.core..")
            .because("JSON goes through dev.unitguard.json; Jackson itself only where records are mapped (api "
                    + "bodies, the engine's results and files), trees read (config, cli, journalctl's -o json) or "
                    + "the mapper built");

    @ArchTest
    static final ArchRule oneMapper = noClasses().that().resideOutsideOfPackage("dev.unitguard.json")
            .should().callConstructor(ObjectMapper.class).orShould().callConstructor(JsonMapper.class)
            .orShould().callMethod(JsonMapper.class, "builder")
            .orShould().callConstructor(JsonFactory.class).orShould().callMethod(JsonFactory.class, "builder")
            .because("every mapper is dev.unitguard.json.Json's, or a documented copy() of it; the one parser "
                    + "without a mapper is dev.unitguard.json.JsonValues'");

    @ArchTest
    static final ArchRule dbusOnlyInSystemd = noClasses().that().resideOutsideOfPackage("dev.unitguard.systemd..")
            .should().dependOnClassesThat().resideInAnyPackage("org.freedesktop..")
            .because("systemd's D-Bus API is reached through the systemd package alone");

    @ArchTest
    static final ArchRule vertxOnlyInTheServer = noClasses()
            .that().resideOutsideOfPackages("dev.unitguard.api", "dev.unitguard.agent", "dev.unitguard.cli")
            .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.netty..");

    @ArchTest
    static final ArchRule micrometerOnlyInMetrics = noClasses()
            .that().resideOutsideOfPackages("dev.unitguard.metrics", "dev.unitguard.api", "dev.unitguard.agent")
            .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..");

    @ArchTest
    static final ArchRule picocliOnlyInCli = noClasses().that().resideOutsideOfPackage("dev.unitguard.cli")
            .should().dependOnClassesThat().resideInAnyPackage("picocli..");

    @ArchTest
    static final ArchRule nativeCallsContained = noClasses()
            .that().resideOutsideOfPackages("dev.unitguard.linux", "dev.unitguard.systemd..", "dev.unitguard.agent")
            .should().dependOnClassesThat().resideInAnyPackage("jnr..");

    /*
     * Internal APIs: packages named impl or internal, the JDK's sun.* and jdk.internal.*, com.sun.* other than the
     * supported com.sun.management. Not internal: dbus-java's connections.impl, which holds its documented entry
     * points (DBusConnection, DBusConnectionBuilder). Two uses remain, each in one class with one job, because
     * neither the JDK nor Vert.x offers a public way:
     * - sun.misc.Signal (module jdk.unsupported, kept by JEP 260 as a critical API with no replacement), in
     *   agent.Signals: SIGHUP must reload the configuration instead of ending the JVM, and SIGTERM must stop the
     *   agent before the JVM resets logging;
     * - Vert.x's ConnectionBase, in api.NettyChannels: the Netty channel of an accepted connection, to read the Unix
     *   socket peer's SO_PEERCRED before any byte of its request is read.
     */
    private static final DescribedPredicate<JavaClass> INTERNAL = resideInAnyPackage(
            "..impl..", "..internal..", "sun..", "jdk.internal..", "com.sun..")
            .and(not(resideInAnyPackage("com.sun.management", "org.freedesktop.dbus.connections.impl")))
            .as("internal APIs");

    @ArchTest
    static final ArchRule noInternalApis = noClasses()
            .that().doNotHaveFullyQualifiedName("dev.unitguard.agent.Signals")
            .and().doNotHaveFullyQualifiedName("dev.unitguard.api.NettyChannels")
            .should().dependOnClassesThat(INTERNAL)
            .because("internal APIs change without notice between releases");

    @ArchTest
    static final ArchRule signalsUseOnlySunMiscSignal = noClasses()
            .that().haveFullyQualifiedName("dev.unitguard.agent.Signals")
            .should().dependOnClassesThat(INTERNAL.and(not(resideInAPackage("sun.misc"))));

    @ArchTest
    static final ArchRule nettyChannelsUseOnlyConnectionBase = noClasses()
            .that().haveFullyQualifiedName("dev.unitguard.api.NettyChannels")
            .should().dependOnClassesThat(INTERNAL.and(not(resideInAPackage("io.vertx.core.net.impl"))));
}
