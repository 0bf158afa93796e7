package io.svctoken.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Aggregates a JFR recording like {@code jfr print --events jdk.ExecutionSample} would after sorting
 * and counting: CPU samples per thread pool, the hottest methods (self and inclusive), allocations by
 * class and site, and where threads blocked (monitor enter, park).
 *
 * <p>{@code java io.svctoken.bench.JfrTop <file.jfr> [top=20] [threadRegex=.*]}
 */
public final class JfrTop {

    private JfrTop() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Pattern threads = Pattern.compile(args.length > 2 ? args[2] : ".*");

        Map<String, Long> byThread = new HashMap<>();
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        Map<String, Long> allocByClass = new HashMap<>();
        Map<String, Long> allocBySite = new HashMap<>();
        Map<String, Long> blocked = new HashMap<>();
        Map<String, Long> ownInclusive = new HashMap<>();
        Map<String, Long> stacks = new HashMap<>();
        Map<String, Long> nativeByPool = new HashMap<>();
        Map<String, Long> nativeTop = new HashMap<>();
        Map<String, double[]> cpuByPool = new HashMap<>(); // per pool: sum of (user+system) per sample period, periods seen
        Map<String, Set<Long>> cpuPeriods = new HashMap<>();
        double[] machine = new double[4]; // machineTotal, jvmUser + jvmSystem, count
        long nativeSamples = 0;
        List<Long> gcPauses = new ArrayList<>(); // ns, one per collection (longest pause)
        long[] gcSum = new long[1];
        Map<String, Long> gcNames = new HashMap<>();
        long[] window = {Long.MAX_VALUE, Long.MIN_VALUE};
        long samples = 0;
        long allocTotal = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String type = e.getEventType().getName();
            if (type.equals("jdk.ExecutionSample") || type.equals("jdk.CPULoad")) {
                window[0] = Math.min(window[0], e.getStartTime().toEpochMilli());
                window[1] = Math.max(window[1], e.getEndTime().toEpochMilli());
            }
            switch (type) {
                case "jdk.ExecutionSample" -> {
                    String t = pool(e.getThread("sampledThread"));
                    if (!threads.matcher(t).matches()) {
                        continue;
                    }
                    samples++;
                    byThread.merge(t, 1L, Long::sum);
                    RecordedStackTrace st = e.getStackTrace();
                    if (st == null || st.getFrames().isEmpty()) {
                        continue;
                    }
                    self.merge(frame(st.getFrames().get(0)), 1L, Long::sum);
                    Set<String> seen = new HashSet<>();
                    for (RecordedFrame f : st.getFrames()) {
                        String m = frame(f);
                        if (seen.add(m)) {
                            inclusive.merge(m, 1L, Long::sum);
                            if (m.startsWith("io.svctoken") || m.startsWith("com.github.benmanes") || m.startsWith("org.sqlite")
                                    || m.startsWith("com.fasterxml")) {
                                ownInclusive.merge(m, 1L, Long::sum);
                            }
                        }
                    }
                    StringBuilder sb = new StringBuilder();
                    int depth = 0;
                    for (RecordedFrame f : st.getFrames()) {
                        if (depth++ == 7) {
                            break;
                        }
                        sb.append(depth == 1 ? "" : " <- ").append(shortFrame(f));
                    }
                    stacks.merge(t + ": " + sb, 1L, Long::sum);
                }
                case "jdk.NativeMethodSample" -> {
                    String t = pool(e.getThread("sampledThread"));
                    if (!threads.matcher(t).matches()) {
                        continue;
                    }
                    nativeSamples++;
                    nativeByPool.merge(t, 1L, Long::sum);
                    RecordedStackTrace st = e.getStackTrace();
                    if (st != null && !st.getFrames().isEmpty()) {
                        nativeTop.merge(t + ": " + frame(st.getFrames().get(0)), 1L, Long::sum);
                    }
                }
                case "jdk.ThreadCPULoad" -> {
                    RecordedThread th = e.getThread("eventThread");
                    String t = pool(th);
                    double load = e.getFloat("user") + e.getFloat("system");
                    cpuByPool.computeIfAbsent(t, k -> new double[1])[0] += load;
                    cpuPeriods.computeIfAbsent(t, k -> new HashSet<>()).add(e.getStartTime().getEpochSecond());
                }
                case "jdk.GarbageCollection" -> {
                    gcPauses.add(e.getDuration("longestPause").toNanos());
                    gcSum[0] += e.getDuration("sumOfPauses").toNanos();
                    gcNames.merge(e.getString("name") + " (" + e.getString("cause") + ")", 1L, Long::sum);
                }
                case "jdk.CPULoad" -> {
                    machine[0] += e.getFloat("machineTotal");
                    machine[1] += e.getFloat("jvmUser") + e.getFloat("jvmSystem");
                    machine[2]++;
                }
                case "jdk.ObjectAllocationSample" -> {
                    String t = pool(e.getThread("eventThread"));
                    if (!threads.matcher(t).matches()) {
                        continue;
                    }
                    long w = e.getLong("weight");
                    allocTotal += w;
                    allocByClass.merge(e.getClass("objectClass").getName(), w, Long::sum);
                    allocBySite.merge(firstAppFrame(e.getStackTrace()), w, Long::sum);
                }
                case "jdk.JavaMonitorEnter", "jdk.ThreadPark", "jdk.JavaMonitorWait" -> {
                    String t = pool(e.getThread("eventThread"));
                    if (!threads.matcher(t).matches()) {
                        continue;
                    }
                    Duration d = e.getDuration();
                    blocked.merge(type.substring(4) + " " + t + " at " + firstAppFrame(e.getStackTrace()), d.toNanos(), Long::sum);
                }
                default -> {
                }
            }
        }
        System.out.printf(Locale.ROOT, "%s: %d execution samples%n", file.getFileName(), samples);
        print("CPU samples by thread pool", byThread, samples, top, "%");
        print("hottest methods, self (top frame)", self, samples, top, "%");
        print("hottest methods, inclusive (on the stack)", inclusive, samples, top, "%");
        print("svctoken / caffeine / sqlite / jackson methods, inclusive", ownInclusive, samples, top, "%");
        print("hottest stacks (7 frames, leaf first)", stacks, samples, Math.min(top, 15), "%");
        if (nativeSamples > 0) {
            print("native-method samples by thread pool (threads in syscalls: socket I/O, epoll, futex)", nativeByPool, nativeSamples, top, "%");
            print("native-method samples, top frame", nativeTop, nativeSamples, Math.min(top, 10), "%");
        }
        if (!cpuByPool.isEmpty()) {
            System.out.println("CPU used per thread pool (jdk.ThreadCPULoad, user+system, share of the whole machine, average per period):");
            cpuByPool.entrySet().stream()
                    .map(x -> Map.entry(x.getKey(), x.getValue()[0] / Math.max(1, cpuPeriods.get(x.getKey()).size())))
                    .filter(x -> x.getValue() >= 0.001)
                    .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                    .forEach(x -> System.out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100 * x.getValue(), x.getKey()));
        }
        if (machine[2] > 0) {
            System.out.printf(Locale.ROOT, "machine CPU (jdk.CPULoad): total %.1f%%, this JVM %.1f%%, others %.1f%%%n",
                    100 * machine[0] / machine[2], 100 * machine[1] / machine[2], 100 * (machine[0] - machine[1]) / machine[2]);
        }
        if (!gcPauses.isEmpty()) {
            gcPauses.sort(null);
            double secs = Math.max(1, window[1] - window[0]) / 1000.0;
            System.out.printf(Locale.ROOT, "GC: %d collections in %.1f s (%.1f/s), stop-the-world pauses: total %.1f ms (%.2f%% of the time), "
                            + "median %.2f ms, max %.2f ms; %s%n",
                    gcPauses.size(), secs, gcPauses.size() / secs, gcSum[0] / 1e6, gcSum[0] / 1e7 / secs,
                    gcPauses.get(gcPauses.size() / 2) / 1e6, gcPauses.get(gcPauses.size() - 1) / 1e6, gcNames);
        }
        if (allocTotal > 0) {
            print("allocation by class (sampled weight)", allocByClass, allocTotal, Math.min(top, 12), "%");
            print("allocation by first svctoken/netty frame", allocBySite, allocTotal, Math.min(top, 12), "%");
        }
        if (!blocked.isEmpty()) {
            System.out.println("blocked time (monitor enter / park / wait above the recording's threshold), ms, by thread pool and first svctoken/netty/caffeine frame:");
            blocked.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(10)
                    .forEach(x -> System.out.printf(Locale.ROOT, "  %9.1f  %s%n", x.getValue() / 1e6, x.getKey()));
        }
    }

    private static void print(String title, Map<String, Long> m, long total, int top, String unit) {
        System.out.println(title + ":");
        List<Map.Entry<String, Long>> l = new ArrayList<>(m.entrySet());
        l.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        for (Map.Entry<String, Long> x : l.subList(0, Math.min(top, l.size()))) {
            System.out.printf(Locale.ROOT, "  %5.1f%s  %s%n", 100.0 * x.getValue() / total, unit, x.getKey());
        }
    }

    /** Thread name without its trailing number: one line per pool. */
    private static String pool(RecordedThread t) {
        if (t == null) {
            return "?";
        }
        String n = t.getJavaName() != null ? t.getJavaName() : t.getOSName();
        return n == null ? "?" : n.replaceAll("-\\d+-\\d+$", "").replaceAll("[-#]?\\d+$", "");
    }

    private static String frame(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static String shortFrame(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName()
                + (f.getLineNumber() > 0 ? ":" + f.getLineNumber() : "");
    }

    private static String firstAppFrame(RecordedStackTrace st) {
        if (st == null) {
            return "?";
        }
        for (RecordedFrame f : st.getFrames()) {
            String m = frame(f);
            if (m.startsWith("io.svctoken") || m.startsWith("io.netty") || m.startsWith("com.github.benmanes")) {
                return m + ":" + f.getLineNumber();
            }
        }
        return st.getFrames().isEmpty() ? "?" : frame(st.getFrames().get(0));
    }
}
