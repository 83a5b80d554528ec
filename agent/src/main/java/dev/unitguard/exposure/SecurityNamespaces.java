package dev.unitguard.exposure;

import java.util.Map;
import java.util.Optional;

/** RestrictNamespaces= as systemd 252's {@code config_parse_restrict_namespaces()}: a mask of allowed namespaces. */
final class SecurityNamespaces {

    static final long CLONE_NEWNS = 0x00020000L;
    static final long CLONE_NEWCGROUP = 0x02000000L;
    static final long CLONE_NEWUTS = 0x04000000L;
    static final long CLONE_NEWIPC = 0x08000000L;
    static final long CLONE_NEWUSER = 0x10000000L;
    static final long CLONE_NEWPID = 0x20000000L;
    static final long CLONE_NEWNET = 0x40000000L;
    static final long ALL = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER
            | CLONE_NEWPID | CLONE_NEWNET;

    private static final Map<String, Long> NAMES = Map.of("cgroup", CLONE_NEWCGROUP, "ipc", CLONE_NEWIPC,
            "net", CLONE_NEWNET, "mnt", CLONE_NEWNS, "pid", CLONE_NEWPID, "user", CLONE_NEWUSER, "uts", CLONE_NEWUTS);

    private SecurityNamespaces() {
    }

    static void apply(SecurityInfo info, String value, String unitName) {
        if (value.isEmpty()) {
            info.restrictNamespaces = SecurityInfo.NAMESPACE_FLAGS_INITIAL;
            return;
        }
        Optional<Boolean> b = SecurityDirectives.parseBoolean(value);
        if (b.isPresent()) {
            info.restrictNamespaces = b.get() ? 0 : ALL;
            return;
        }
        boolean invert = value.startsWith("~");
        long flags = 0;
        for (String word : SecurityUnitNames.plainWords(invert ? value.substring(1) : value)) {
            Long flag = NAMES.get(word);
            if (flag == null) {
                return;
            }
            flags |= flag;
        }
        if (info.restrictNamespaces == SecurityInfo.NAMESPACE_FLAGS_INITIAL) {
            info.restrictNamespaces = invert ? ~flags & ALL : flags;
        } else if (invert) {
            info.restrictNamespaces &= ~flags;
        } else {
            info.restrictNamespaces |= flags;
        }
    }
}
