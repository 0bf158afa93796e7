package io.svctoken.server.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The least-privilege fix for a file or directory this process cannot read, computed from the real owner,
 * group and mode of the first path in the way and from this process's user and groups: the owner's bit when
 * the process owns it, else the group's bit — with {@code chgrp} to the process's primary group only when it
 * is not already in the file's group. Never "readable by everyone", never "run it as root". Linux only (the
 * process's groups come from {@code /proc/self/status}); elsewhere a general sentence.
 */
public final class AccessFix {

    /** What the process needs. */
    public enum Need {
        /** Read a file. */
        READ_FILE,
        /** List a directory. */
        LIST_DIRECTORY,
        /** Read a directory and everything in it. */
        READ_TREE
    }

    private AccessFix() {
    }

    /**
     * E.g. {@code the server runs as [svc], and [/etc/svctoken/certs] belongs to [root:root] with permissions
     * [rwxr-x---]. Let the server's group read them (as root): chgrp -R svc /etc/svctoken/certs && chmod -R g+rX
     * /etc/svctoken/certs}.
     */
    public static String describe(Path target, Need need) {
        return describe(target, need, "the server");
    }

    /** As {@link #describe(Path, Need)}, for another program than the server ({@code who}, e.g. {@code this tool}). */
    public static String describe(Path target, Need need, String who) {
        Path t = target.toAbsolutePath().normalize();
        Self self = Self.current();
        // The first directory on the way that the process cannot enter, else the target itself.
        Path blocker = t;
        boolean onTheWay = false;
        List<Path> ancestors = new ArrayList<>();
        for (Path p = t.getParent(); p != null; p = p.getParent()) {
            ancestors.add(0, p);
        }
        for (Path a : ancestors) {
            if (!Files.isExecutable(a)) {
                blocker = a;
                onTheWay = true;
                break;
            }
        }
        PosixFileAttributes attrs;
        try {
            attrs = Files.readAttributes(blocker, PosixFileAttributes.class);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            attrs = null;
        }
        if (self == null || attrs == null) {
            return who + " runs as [" + (self == null ? System.getProperty("user.name") : self.user) + "] and cannot read ["
                    + blocker + "]: give that user (or its group) read access to it, not everyone";
        }
        boolean recursive = !onTheWay && need == Need.READ_TREE;
        String bits = onTheWay ? "x" : switch (need) {
            case READ_FILE -> "r";
            case LIST_DIRECTORY -> "rx";
            case READ_TREE -> "rX";
        };
        String what = onTheWay ? "enter it" : need == Need.READ_TREE ? "read them" : "read it";
        String r = recursive ? "-R " : "";
        String fix;
        if (self.uid == uid(blocker)) {
            fix = "Let its owner " + what + ": chmod " + r + "u+" + bits + " " + blocker;
        } else {
            boolean member = self.gids.contains(gid(blocker));
            fix = "Let " + who + "'s group " + what + " (as root): " + (member ? "" : "chgrp " + r + self.group + " " + blocker + " && ")
                    + "chmod " + r + "g+" + bits + " " + blocker;
        }
        return who + " runs as [" + self.user + "], and [" + blocker + "] belongs to [" + attrs.owner().getName() + ":"
                + attrs.group().getName() + "] with permissions [" + PosixFilePermissions.toString(attrs.permissions()) + "]. " + fix;
    }

    private static int uid(Path p) {
        return attribute(p, "unix:uid");
    }

    private static int gid(Path p) {
        return attribute(p, "unix:gid");
    }

    private static int attribute(Path p, String name) {
        try {
            return (Integer) Files.getAttribute(p, name);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** This process's effective user, primary group and all its group ids. */
    private record Self(String user, int uid, String group, Set<Integer> gids) {
        static Self current() {
            Path proc = Path.of("/proc/self");
            try {
                PosixFileAttributes a = Files.readAttributes(proc, PosixFileAttributes.class);
                Set<Integer> gids = new HashSet<>();
                for (String line : Files.readAllLines(proc.resolve("status"))) {
                    if (line.startsWith("Groups:") || line.startsWith("Gid:")) {
                        for (String g : line.substring(line.indexOf(':') + 1).trim().split("\\s+")) {
                            if (!g.isEmpty()) {
                                gids.add(Integer.parseInt(g));
                            }
                        }
                    }
                }
                return new Self(a.owner().getName(), AccessFix.uid(proc), a.group().getName(), gids);
            } catch (IOException | RuntimeException e) {
                return null; // no /proc: not Linux
            }
        }
    }
}
