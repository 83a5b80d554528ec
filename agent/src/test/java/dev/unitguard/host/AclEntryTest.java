package dev.unitguard.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AclEntryTest {

    @Test
    void parse_getfaclLines_roundTrip() {
        for (String line : List.of("user::rw-", "user:33:rw-", "group::r--", "group:110:r-x", "mask::rwx", "other::---")) {
            assertEquals(line, AclEntry.parse(line).toString());
        }
        assertEquals(new AclEntry(AclEntry.Tag.USER, 33, 6), AclEntry.parse("user:33:rw-"));
    }

    @Test
    void parse_badLines_nameTheLine() {
        assertEquals("not an ACL entry: \"user:33:rw\"",
                assertThrows(IllegalArgumentException.class, () -> AclEntry.parse("user:33:rw")).getMessage());
        assertEquals("not a numeric ACL qualifier: \"user:www-data:rw-\"",
                assertThrows(IllegalArgumentException.class, () -> AclEntry.parse("user:www-data:rw-")).getMessage());
        assertEquals("not an ACL entry: \"mask:5:rw-\"",
                assertThrows(IllegalArgumentException.class, () -> AclEntry.parse("mask:5:rw-")).getMessage());
    }

    @Test
    void permits_namedGroupWithoutTheBit_doesNotFallBackToOther() {
        FileInfo f = new FileInfo(FileInfo.Type.REGULAR, 0, 0, 0604, List.of(AclEntry.parse("user::rw-"),
                AclEntry.parse("group::---"), AclEntry.parse("group:110:---"), AclEntry.parse("mask::---"),
                AclEntry.parse("other::r--")));
        assertEquals(false, Dac.permits(new Dac.Credentials(33, 33, Set.of(110)), f, Set.of(Access.R)));
        assertEquals(true, Dac.permits(new Dac.Credentials(34, 34, Set.of()), f, Set.of(Access.R)));
        assertEquals("owner 0 group 0 mode 0604 acl user::rw-,group::---,group:110:---,mask::---,other::r--",
                Dac.describe(f));
    }
}
