package io.svctoken.server.file;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Why a config file could not be read, in one line for the log, and for a permission problem the
 * command that fixes it: computed from the owner, group and mode of the file and of each directory
 * above it, and from the user and groups the node runs as (on Linux from {@code /proc/self/status}).
 * The command grants only what is missing — read on the file, search on a directory — to the node's
 * user as the owner, to a group it is in, or by giving the entry the node's primary group (as
 * Elasticsearch's packages do: {@code root:elasticsearch}, mode {@code 660}); never to everyone.
 */
public final class ReadAccessHint {

    private ReadAccessHint() {
    }

    /** The user and groups the node's file accesses are checked with; {@code groupNames} for the message. */
    record Identity(int uid, String user, int gid, String group, Set<Integer> groups, List<String> groupNames) {
        boolean inGroup(int g) {
            return gid == g || groups.contains(g);
        }
    }

    /** One path on the way to the file: a directory must be searchable, the file readable. */
    record Entry(Path path, boolean directory, int uid, String owner, int gid, String group, Set<PosixFilePermission> mode) {
    }

    /** The cause, without a stack trace; for a permission problem what is in the way and the command that fixes it. */
    public static String explain(Path file, IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied. " + permissionHint(file.toAbsolutePath().normalize(), currentIdentity(), ReadAccessHint::entry);
        }
        if (e instanceof CharacterCodingException) {
            return "it is not valid UTF-8";
        }
        return e.toString();
    }

    /** Reads one entry's attributes; empty when they cannot be read (a directory before it is not searchable). */
    interface Attributes {
        Optional<Entry> of(Path path, boolean directory);
    }

    static String permissionHint(Path file, Optional<Identity> me, Attributes attributes) {
        if (me.isEmpty()) {
            return "Let the user running svctoken [" + System.getProperty("user.name") + "] read [" + file
                    + "] and search the directories above it (as its owner, or through a group it is in); do not make it readable by everyone.";
        }
        Identity who = me.get();
        List<Path> chain = new ArrayList<>();
        for (Path p = file.getParent(); p != null; p = p.getParent()) {
            chain.add(0, p);
        }
        chain.add(file);
        List<String> blocked = new ArrayList<>();
        List<String> commands = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            boolean directory = i < chain.size() - 1;
            Optional<Entry> entry = attributes.of(chain.get(i), directory);
            if (entry.isEmpty()) {
                break; // hidden behind a directory already reported
            }
            Entry e = entry.get();
            Optional<String> fix = fix(e, who);
            if (fix.isPresent()) {
                blocked.add((directory ? "cannot search the directory [" : "cannot read [") + e.path() + "] (owner [" + e.owner()
                        + "], group [" + e.group() + "], permissions [" + PosixFilePermissions.toString(e.mode()) + "])");
                commands.add(fix.get());
            }
        }
        String runsAs = "svctoken runs as [" + who.user() + "] (groups [" + String.join(",", who.groupNames()) + "])";
        if (commands.isEmpty()) {
            return runsAs + " and the permissions of [" + file + "] and its directories allow reading it: something else denies it"
                    + " (an ACL, SELinux or AppArmor).";
        }
        return runsAs + " and " + String.join("; ", blocked) + ". To fix it, run as root: `" + String.join(" && ", commands) + "`";
    }

    /** The command that gives {@code who} what it lacks on {@code e}, in the class of permissions that applies to it. */
    static Optional<String> fix(Entry e, Identity who) {
        if (who.uid() == 0) {
            return Optional.empty(); // root is not refused by the mode
        }
        boolean directory = e.directory();
        char bit = directory ? 'x' : 'r';
        String path = quote(e.path());
        if (who.uid() == e.uid()) {
            // the owner's bits decide, whatever the group's and others' say
            return e.mode().contains(directory ? PosixFilePermission.OWNER_EXECUTE : PosixFilePermission.OWNER_READ)
                    ? Optional.empty() : Optional.of("chmod u+" + bit + " " + path);
        }
        if (who.inGroup(e.gid())) {
            return e.mode().contains(directory ? PosixFilePermission.GROUP_EXECUTE : PosixFilePermission.GROUP_READ)
                    ? Optional.empty() : Optional.of("chmod g+" + bit + " " + path);
        }
        if (e.mode().contains(directory ? PosixFilePermission.OTHERS_EXECUTE : PosixFilePermission.OTHERS_READ)) {
            return Optional.empty();
        }
        String group = who.group().matches("[A-Za-z0-9._-]+") ? who.group() : "'" + who.group().replace("'", "'\\''") + "'";
        return Optional.of("chgrp " + group + " " + path + " && chmod g+" + bit + " " + path);
    }

    /** Single-quoted for a POSIX shell. */
    static String quote(Path p) {
        return "'" + p.toString().replace("'", "'\\''") + "'";
    }

    private static Optional<Entry> entry(Path p, boolean directory) {
        try {
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class);
            int uid = (Integer) Files.getAttribute(p, "unix:uid");
            int gid = (Integer) Files.getAttribute(p, "unix:gid");
            return Optional.of(new Entry(p, directory, uid, a.owner().getName(), gid, a.group().getName(), a.permissions()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The process's file-system user and groups from {@code /proc/self/status}; empty elsewhere. */
    static final class Current {
        static final Optional<Identity> IDENTITY = read();

        private static Optional<Identity> read() {
            try {
                int uid = -1;
                int gid = -1;
                Set<Integer> groups = new LinkedHashSet<>();
                for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                    String[] f = line.trim().split("\\s+");
                    if (f[0].equals("Uid:") && f.length >= 5) {
                        uid = Integer.parseInt(f[4]); // the file-system uid: the one access checks use
                    } else if (f[0].equals("Gid:") && f.length >= 5) {
                        gid = Integer.parseInt(f[4]);
                    } else if (f[0].equals("Groups:")) {
                        for (int i = 1; i < f.length; i++) {
                            groups.add(Integer.parseInt(f[i]));
                        }
                    }
                }
                if (uid < 0 || gid < 0) {
                    return Optional.empty();
                }
                Set<String> names = new LinkedHashSet<>();
                names.add(groupName(gid));
                groups.forEach(g -> names.add(groupName(g)));
                return Optional.of(new Identity(uid, System.getProperty("user.name"), gid, groupName(gid), Set.copyOf(groups),
                        List.copyOf(names)));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    static Optional<Identity> currentIdentity() {
        return Current.IDENTITY;
    }

    /** A group's name from {@code /etc/group}, or its number (which {@code chgrp} accepts too). */
    static String groupName(int gid) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/group"), StandardCharsets.UTF_8)) {
                String[] f = line.split(":", -1);
                if (f.length >= 3 && f[2].equals(Integer.toString(gid))) {
                    return f[0];
                }
            }
        } catch (IOException | RuntimeException e) {
            // no group database: the number
        }
        return Integer.toString(gid);
    }
}
