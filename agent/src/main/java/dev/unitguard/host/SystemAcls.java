package dev.unitguard.host;

import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** The one {@link AclReader} of this process: the ACL attributes through the {@link XattrSource} installed. */
final class SystemAcls {

    static final AclReader READER = load();

    private SystemAcls() {
    }

    private static AclReader load() {
        try {
            return ServiceLoader.load(XattrSource.class, SystemAcls.class.getClassLoader()).findFirst()
                    .<AclReader>map(AclXattr::new).orElse(AclReader.NONE);
        } catch (ServiceConfigurationError | LinkageError e) {
            return AclReader.NONE;
        }
    }
}
