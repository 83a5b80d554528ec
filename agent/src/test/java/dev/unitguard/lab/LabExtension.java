package dev.unitguard.lab;

import dev.unitguard.unit.SystemdVersion;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Boots one {@link Lab} per test class (of the release its {@link LabTest#version()} names) and injects it as a parameter; JUnit closes it after the class, whatever the
 * outcome. When the lab cannot boot, every test of the class is aborted with the reason: skipped, never passed.
 * (The abort happens before each test, not in beforeAll: a class aborted as a whole would be reported as zero tests.)
 * Take the lab as a parameter of test methods or of {@code @BeforeEach} methods, not of {@code @BeforeAll} ones.
 */
public final class LabExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LabExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        booted(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        lab(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Lab.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return lab(context);
    }

    private static Lab lab(ExtensionContext context) {
        Booted booted = booted(context);
        if (booted.lab == null) {
            Assumptions.abort(booted.unavailable);
        }
        return booted.lab;
    }

    private static Booted booted(ExtensionContext context) {
        ExtensionContext classContext = context.getTestMethod().isPresent() ? context.getParent().orElse(context)
                : context;
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(Booted.class, key -> boot(version(context)), Booted.class);
    }

    private static SystemdVersion version(ExtensionContext context) {
        return new SystemdVersion(AnnotationSupport.findAnnotation(context.getRequiredTestClass(), LabTest.class)
                .map(LabTest::version).orElse(SystemdVersion.V252.number()));
    }

    private static Booted boot(SystemdVersion version) {
        try {
            return new Booted(Lab.boot(version), null);
        } catch (LabUnavailableException e) {
            return new Booted(null, "systemd lab unavailable: " + e.getMessage());
        }
    }

    /** The lab of one test class, or why there is none; closed by JUnit when the class is done. */
    private record Booted(Lab lab, String unavailable) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            if (lab != null) {
                lab.close();
            }
        }
    }
}
