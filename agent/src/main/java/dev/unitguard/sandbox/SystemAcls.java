package dev.unitguard.sandbox;

/** The one {@link AclReader} of this process, bound to the C library on first use. */
final class SystemAcls {

    static final AclReader READER = Xattr.load().<AclReader>map(AclXattr::new).orElse(AclReader.NONE);

    private SystemAcls() {
    }
}
