package dev.unitguard.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DacTest {

    private static final Dac.Credentials ALICE = new Dac.Credentials(1000, 1000, Set.of(110));
    private static final Dac.Credentials ROOT = Dac.Credentials.root();

    @Test
    void permits_ownerBitsApplyToOwnerEvenWhenOtherBitsAreWider() {
        FileInfo f = new FileInfo(FileInfo.Type.REGULAR, 1000, 0, 0077);
        assertEquals(false, Dac.permits(ALICE, f, Set.of(Access.R)));
    }

    @Test
    void permits_supplementaryGroupSelectsGroupBits() {
        FileInfo f = new FileInfo(FileInfo.Type.REGULAR, 0, 110, 0640);
        assertEquals(true, Dac.permits(ALICE, f, Set.of(Access.R)));
        assertEquals(false, Dac.permits(ALICE, f, Set.of(Access.W)));
    }

    @Test
    void permits_rootBypassesReadWriteButNeedsSomeExecuteBit() {
        assertEquals(true, Dac.permits(ROOT, new FileInfo(FileInfo.Type.REGULAR, 5, 5, 0), Set.of(Access.R, Access.W)));
        assertEquals(false, Dac.permits(ROOT, new FileInfo(FileInfo.Type.REGULAR, 5, 5, 0644), Set.of(Access.X)));
        assertEquals(true, Dac.permits(ROOT, new FileInfo(FileInfo.Type.REGULAR, 5, 5, 0001), Set.of(Access.X)));
        assertEquals(true, Dac.permits(ROOT, FileInfo.directory(5, 5, 0), Set.of(Access.X)));
    }

    @Test
    void check_missingFileToWrite_needsWriteAndSearchOnParent() {
        Map<String, FileInfo> tree = Map.of("/", FileInfo.directory(0, 0, 0755),
                "/srv", FileInfo.directory(1000, 1000, 0755), "/etc", FileInfo.directory(0, 0, 0755));
        assertEquals(Dac.Outcome.GRANTED, Dac.check(ALICE, "/srv/new", Set.of(Access.W),
                p -> Optional.ofNullable(tree.get(p))).outcome());
        Dac.Decision etc = Dac.check(ALICE, "/etc/new", Set.of(Access.W), p -> Optional.ofNullable(tree.get(p)));
        assertEquals(new Dac.Decision(Dac.Outcome.DENIED, "/etc",
                "cannot create /etc/new: no write permission on /etc (owner 0 group 0 mode 0755)"), etc);
        assertEquals(Dac.Outcome.MISSING, Dac.check(ALICE, "/srv/new", Set.of(Access.R),
                p -> Optional.ofNullable(tree.get(p))).outcome());
        assertEquals(Dac.Outcome.MISSING, Dac.check(ALICE, "/nope/new", Set.of(Access.W),
                p -> Optional.ofNullable(tree.get(p))).outcome());
    }

    /** Seeded random modes against an independent reading of the kernel's rules (fs/namei.c generic_permission). */
    @ParameterizedTest
    @MethodSource("randomCases")
    void permits_randomModes_matchTheKernelRule(int uid, int fileUid, int fileGid, int mode, int want) {
        Dac.Credentials c = new Dac.Credentials(uid, uid, Set.of(7));
        FileInfo f = new FileInfo(FileInfo.Type.REGULAR, fileUid, fileGid, mode);
        int shift = uid == fileUid ? 6 : (fileGid == uid || fileGid == 7) ? 3 : 0;
        boolean expected = uid == 0 ? ((want & 1) == 0 || (mode & 0111) != 0) : ((mode >> shift) & want) == want;
        Set<Access> access = Set.copyOf(Stream.of(Access.values())
                .filter(a -> (want & (a == Access.R ? 4 : a == Access.W ? 2 : 1)) != 0).toList());
        assertEquals(expected, Dac.permits(c, f, access));
    }

    static Stream<Arguments> randomCases() {
        Random random = new Random(252);
        return Stream.generate(() -> Arguments.of(random.nextInt(3) == 0 ? 0 : 1000 + random.nextInt(2),
                1000 + random.nextInt(2), random.nextInt(2) == 0 ? 7 : 1000 + random.nextInt(2),
                random.nextInt(01000), 1 + random.nextInt(7))).limit(200);
    }
}
