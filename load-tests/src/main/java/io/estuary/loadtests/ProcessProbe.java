package io.estuary.loadtests;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What a benchmark reads about its own JVM: process CPU time, heap after a collection, Netty's allocator, and
 * latency percentiles. The server runs in-process, so a caller subtracts the CPU of its own load generator threads.
 * For a server in another process (ours or a peer), CPU and RSS come from /proc, read the same way for both.
 */
final class ProcessProbe {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private ProcessProbe() {
    }

    /** CPU of the process and of the load generator over a span of wall time. */
    record Cpu(long wallNanos, long processNanos, long loadNanos) {
        static Cpu now(LongSupplier loadCpuNanos) {
            return new Cpu(System.nanoTime(), OS.getProcessCpuTime(), loadCpuNanos.getAsLong());
        }

        /** CPU-seconds per second of everything but the load generator (server, JIT, GC) since {@code from}. */
        double serverCoresSince(Cpu from) {
            return ((processNanos - from.processNanos) - (loadNanos - from.loadNanos))
                    / (double) (wallNanos - from.wallNanos);
        }

        double loadCoresSince(Cpu from) {
            return (loadNanos - from.loadNanos) / (double) (wallNanos - from.wallNanos);
        }

        double secondsSince(Cpu from) {
            return (wallNanos - from.wallNanos) / 1e9;
        }
    }

    /** Clock ticks per second of utime and stime in /proc/PID/stat ({@code getconf CLK_TCK}; 100 on Linux). */
    private static final long CLOCK_TICKS = clockTicks();

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return Long.parseLong(out);
            }
        } catch (IOException | NumberFormatException e) {
            // the kernel's USER_HZ is 100 on every architecture Linux builds for today
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }

    /**
     * CPU time another process has used so far, user and system (utime + stime of /proc/PID/stat), in nanoseconds;
     * resolution one clock tick (10 ms). -1 when the process is gone.
     */
    static long procCpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15
            return ticks * (1_000_000_000L / CLOCK_TICKS);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Resident set size of another process (VmRSS of /proc/PID/status), in bytes; -1 when the process is gone. */
    static long procRssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024; // "VmRSS:  1234 kB"
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    /** The one-minute system load average: other work on the machine shares its cores with the benchmark. */
    static double loadAverage() {
        return OS.getSystemLoadAverage();
    }

    /** Heap in use after full collections (System.gc() is a full, stop-the-world collection with G1 and Parallel). */
    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    /** Bytes Netty's default allocator holds in use, heap and direct, or -1 when it does not say. */
    static long nettyUsedBytes() {
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            ByteBufAllocatorMetric metric = provider.metric();
            return metric.usedDirectMemory() + metric.usedHeapMemory();
        }
        return -1;
    }

    /**
     * Bytes of the JVM's direct ByteBuffers (ByteBuffer.allocateDirect: the packager keeps its live window there).
     * Netty's pooled memory is not in it: Netty allocates without the JDK's accounting when it can.
     */
    static long jdkDirectBytes() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getMemoryUsed();
            }
        }
        return -1;
    }

    /** Nearest-rank percentile of latencies in nanoseconds, as milliseconds. */
    static double percentileMs(long[] sortedNanos, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sortedNanos.length);
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1e6;
    }

    static String latencyLine(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms (n=%d)", percentileMs(sorted, 50),
                percentileMs(sorted, 90), percentileMs(sorted, 99), sorted[sorted.length - 1] / 1e6, sorted.length);
    }

    static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }
}
