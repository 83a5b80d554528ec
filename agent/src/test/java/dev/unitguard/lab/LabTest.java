package dev.unitguard.lab;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** A test class that runs against a real systemd in a {@link Lab}: tagged {@code systemd}, run by failsafe. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("systemd")
@ExtendWith(LabExtension.class)
public @interface LabTest {
}
