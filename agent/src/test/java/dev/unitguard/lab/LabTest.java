package dev.unitguard.lab;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that runs against a real systemd in a {@link Lab}: tagged {@code systemd}, run by failsafe. The lab
 * runs systemd {@link #version()} (252 unless the class asks for another supported release); it is skipped with the
 * reason when {@code -Dunitguard.lab.versions} leaves that release out.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("systemd")
@ExtendWith(LabExtension.class)
public @interface LabTest {

    /** The systemd release the class's lab boots: 252, 257 or 262. */
    int version() default 252;
}
