package dev.unitguard.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The groups each user belongs to, from {@code /etc/group} (supplementary, by member list) plus the group the peer
 * runs as. Read from files on a worker, then consulted in memory.
 */
final class GroupDirectory {

    private final Map<String, Set<String>> groupsByMember;

    private GroupDirectory(Map<String, Set<String>> groupsByMember) {
        this.groupsByMember = groupsByMember;
    }

    static GroupDirectory read(Path groupFile) {
        try {
            return parse(Files.readAllLines(groupFile));
        } catch (IOException e) {
            return new GroupDirectory(Map.of());
        }
    }

    static GroupDirectory parse(List<String> lines) {
        Map<String, Set<String>> byMember = new HashMap<>();
        for (String line : lines) {
            String[] fields = line.split(":", -1);
            if (fields.length < 4 || fields[0].isEmpty() || fields[3].isEmpty()) {
                continue;
            }
            for (String member : fields[3].split(",")) {
                byMember.computeIfAbsent(member.strip(), m -> new HashSet<>()).add(fields[0]);
            }
        }
        return new GroupDirectory(byMember);
    }

    /** The groups of {@code user} whose own group is {@code primaryGroup}. */
    Set<String> groupsOf(String user, String primaryGroup) {
        Set<String> groups = new HashSet<>(groupsByMember.getOrDefault(user, Set.of()));
        groups.add(primaryGroup);
        return groups;
    }
}
