package dev.unitguard.perms;

import java.util.List;

/**
 * What a required path looks like and whether the service's user gets the access it needs.
 *
 * @param resolved the path with symlinks resolved inside the root; the file described by the other fields
 * @param state    owner, group and mode; null when the file does not exist
 * @param type     {@code directory}, {@code regular}, ...; null when the file does not exist
 * @param acl      the extended POSIX access ACL entries, with names; empty when there is none
 * @param granted  whether the user gets the access, search permission on every ancestor included
 * @param reason   why not (or how a file to be created can be), null when simply granted
 */
public record PathReport(String path, String access, boolean secret, String resolved, boolean exists, String type,
                         FileState state, List<String> acl, boolean granted, String reason) {

    public PathReport {
        acl = List.copyOf(acl);
    }
}
