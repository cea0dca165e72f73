package io.estuary.loadtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole machine's CPU from the first line of /proc/stat, so that a benchmark can tell how much of the machine
 * something else used while it measured one process: on a shared machine the load average cannot say (it counts the
 * measured process's own runnable threads, and a transcoding server has many). Steal is time the hypervisor gave to
 * another guest while this one wanted to run.
 */
record MachineCpu(long busyTicks, long stealTicks, long totalTicks) {
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    /** Now; all zero when /proc/stat cannot be read (then every figure since comes out NaN). */
    static MachineCpu now() {
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = cpu.trim().split("\\s+"); // cpu user nice system idle iowait irq softirq steal guest ...
            long total = 0;
            for (int i = 1; i <= 8 && i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
            return new MachineCpu(total - idle - steal, steal, total);
        } catch (IOException | RuntimeException e) {
            return new MachineCpu(0, 0, 0);
        }
    }

    /** Cores busy (all processes, kernel included) on average since {@code from}. */
    double busyCoresSince(MachineCpu from) {
        return share(busyTicks - from.busyTicks, from) * CORES;
    }

    /** Cores' worth of time stolen by the hypervisor since {@code from}. */
    double stealCoresSince(MachineCpu from) {
        return share(stealTicks - from.stealTicks, from) * CORES;
    }

    private double share(long ticks, MachineCpu from) {
        long total = totalTicks - from.totalTicks;
        return total <= 0 ? Double.NaN : (double) ticks / total;
    }
}
