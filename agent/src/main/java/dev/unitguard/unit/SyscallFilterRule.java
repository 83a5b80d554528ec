package dev.unitguard.unit;

import java.util.List;

/**
 * systemd 252's {@code config_parse_syscall_filter}: an optional {@code ~} (deny list), then system call names and
 * {@code @group}s as the real binaries know them, each optionally with {@code :errno} (deny lists only). Unknown
 * names are skipped with a warning, the rest is used.
 */
final class SyscallFilterRule implements ValueRule {

    @Override
    public void check(String value, ValueCheck out) {
        boolean denyList = value.startsWith("~");
        List<String> words = Words.splitPlain(denyList ? value.substring(1) : value);
        for (String word : words) {
            int colon = word.indexOf(':');
            String name = colon < 0 ? word : word.substring(0, colon);
            if (colon >= 0 && (name.isEmpty() || !errnoOrKill(word.substring(colon + 1)))) {
                out.skip("Failed to parse syscall:errno, ignoring: " + word);
            } else if (colon >= 0 && !denyList) {
                out.skip("Allow-listed system calls cannot take error number, ignoring: " + word);
            } else if (name.startsWith("@") && !SystemdNames.SYSCALL_GROUPS.contains(name)) {
                out.skip("Unknown system call group, ignoring: " + name);
            } else if (!name.startsWith("@") && !SystemdNames.SYSCALLS.contains(name)) {
                out.skip("Failed to parse system call, ignoring: " + name);
            }
        }
    }

    private static boolean errnoOrKill(String errno) {
        return errno.equals("kill") || ValueRules.isErrno(errno);
    }
}
