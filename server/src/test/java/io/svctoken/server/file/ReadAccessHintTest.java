package io.svctoken.server.file;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command of a permission hint, from the owner, group and mode of each path and the node's user and
 * groups (the process test {@code UnreadableFilesProcessTest} applies real ones as an unprivileged user).
 */
class ReadAccessHintTest {

    private static final ReadAccessHint.Identity NODE = new ReadAccessHint.Identity(998, "svc", 998, "svc", Set.of(998, 1500),
            List.of("svc", "ops"));
    private static final Path FILE = Path.of("/etc/svc/users");

    private static ReadAccessHint.Entry dir(String path, int uid, int gid, String mode) {
        return new ReadAccessHint.Entry(Path.of(path), true, uid, "u" + uid, gid, "g" + gid, PosixFilePermissions.fromString(mode));
    }

    private static ReadAccessHint.Entry file(int uid, int gid, String mode) {
        return new ReadAccessHint.Entry(FILE, false, uid, "u" + uid, gid, "g" + gid, PosixFilePermissions.fromString(mode));
    }

    private static String hint(ReadAccessHint.Entry... entries) {
        Map<Path, ReadAccessHint.Entry> byPath = new HashMap<>();
        byPath.put(Path.of("/"), dir("/", 0, 0, "rwxr-xr-x"));
        byPath.put(Path.of("/etc"), dir("/etc", 0, 0, "rwxr-xr-x"));
        byPath.put(Path.of("/etc/svc"), dir("/etc/svc", 0, 0, "rwxr-xr-x"));
        for (ReadAccessHint.Entry e : entries) {
            byPath.put(e.path(), e);
        }
        return ReadAccessHint.permissionHint(FILE, Optional.of(NODE), (p, d) -> Optional.ofNullable(byPath.get(p)));
    }

    @Test
    void groupRootAndTheNodeNotInIt_theFileGetsTheNodesGroup() {
        assertThat(hint(file(0, 0, "rw-r-----"))).isEqualTo("svctoken runs as [svc] (groups [svc,ops]) and cannot read [/etc/svc/users]"
                + " (owner [u0], group [g0], permissions [rw-r-----]). To fix it, run as root: `chgrp svc '/etc/svc/users'"
                + " && chmod g+r '/etc/svc/users'`");
    }

    @Test
    void theOwnersBitsDecideForTheOwner() {
        assertThat(hint(file(998, 0, "-w-r--r--"))).endsWith("`chmod u+r '/etc/svc/users'`");
    }

    @Test
    void aGroupTheNodeIsInNeedsOnlyTheGroupBit() {
        assertThat(hint(file(0, 1500, "rw-------"))).endsWith("`chmod g+r '/etc/svc/users'`");
        assertThat(hint(file(0, 998, "rw-------"))).endsWith("`chmod g+r '/etc/svc/users'`");
    }

    @Test
    void aDirectoryThatCannotBeSearchedIsFixedToo() {
        String h = hint(dir("/etc/svc", 0, 0, "rwx------"), file(0, 0, "rw-------"));
        assertThat(h).contains("cannot search the directory [/etc/svc] (owner [u0], group [g0], permissions [rwx------]);"
                + " cannot read [/etc/svc/users]");
        assertThat(h).endsWith("`chgrp svc '/etc/svc' && chmod g+x '/etc/svc' && chgrp svc '/etc/svc/users' && chmod g+r '/etc/svc/users'`");
    }

    @Test
    void entriesBehindABlockedDirectoryAreNotGuessed() {
        Map<Path, ReadAccessHint.Entry> byPath = Map.of(Path.of("/"), dir("/", 0, 0, "rwxr-xr-x"), Path.of("/etc"), dir("/etc", 0, 0, "rwx------"));
        String h = ReadAccessHint.permissionHint(FILE, Optional.of(NODE), (p, d) -> Optional.ofNullable(byPath.get(p)));
        assertThat(h).endsWith("`chgrp svc '/etc' && chmod g+x '/etc'`");
    }

    @Test
    void whenTheModeAllowsItSomethingElseDenies() {
        assertThat(hint(file(0, 0, "rw-r--r--"))).endsWith("allow reading it: something else denies it (an ACL, SELinux or AppArmor).")
                .doesNotContain("`");
    }

    @Test
    void pathsAreQuotedForTheShell() {
        assertThat(ReadAccessHint.quote(Path.of("/a b/it's"))).isEqualTo("'/a b/it'\\''s'");
    }

    @Test
    void withoutKnowingTheProcessIdentityTheAdviceHasNoCommand() {
        assertThat(ReadAccessHint.permissionHint(FILE, Optional.empty(), (p, d) -> Optional.empty())).doesNotContain("`")
                .contains("read [/etc/svc/users]").contains("do not make it readable by everyone");
    }
}
