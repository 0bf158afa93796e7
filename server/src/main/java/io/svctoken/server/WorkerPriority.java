package io.svctoken.server;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lowers the CPU priority (raises the nice value) of the calling thread, for the worker pool where
 * password and token hashing run. Why: on a machine with few cores, a flood of cold authentications
 * (a wrong-secret brute force is one) keeps every core busy with PBKDF2, and at the same nice value the
 * kernel lets the event loops wait for a core behind it, so cached requests — most of the traffic —
 * get slower (docs/benchmarks.md, P4). With the hashing threads at a higher nice value the event loops
 * run first, and hashing still gets every idle cycle.
 *
 * <p>Linux only: there the nice value belongs to the thread ({@code setpriority(PRIO_PROCESS, 0, n)}
 * changes the caller alone; elsewhere it would change the whole process, so nothing is done). Raising
 * one's own nice value needs no privilege. When it cannot be applied (no native access, another OS)
 * the node runs as before and says so once.
 */
final class WorkerPriority {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerPriority.class);
    private static final int PRIO_PROCESS = 0;
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private interface LibC extends Library {
        int setpriority(int which, int who, int prio) throws LastErrorException;
    }

    /** Loaded on the first worker thread, never on the start-up path. */
    private static final class Native0 {
        static final LibC LIBC = Native.load(Platform.C_LIBRARY_NAME, LibC.class);
    }

    private WorkerPriority() {
    }

    /** Sets the calling thread's nice value to {@code nice} (0 leaves it alone); false when that was not possible. */
    static boolean applyToCurrentThread(int nice) {
        if (nice == 0) {
            return true;
        }
        if (!Platform.isLinux()) {
            warnOnce("per-thread priorities are only applied on Linux");
            return false;
        }
        try {
            Native0.LIBC.setpriority(PRIO_PROCESS, 0, nice);
            return true;
        } catch (LastErrorException e) {
            warnOnce("setpriority failed with errno " + e.getErrorCode());
        } catch (LinkageError | RuntimeException e) {
            warnOnce("native access unavailable (" + e + ")");
        }
        return false;
    }

    private static void warnOnce(String why) {
        if (WARNED.compareAndSet(false, true)) {
            LOG.warn("svctoken.worker.nice not applied: {}; hashing threads run at the node's priority,"
                    + " so cached requests may wait behind hashing when the cores are saturated", why);
        }
    }
}
