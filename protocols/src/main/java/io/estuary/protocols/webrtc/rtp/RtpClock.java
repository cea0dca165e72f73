package io.estuary.protocols.webrtc.rtp;

/** Conversions between nanoseconds and clock ticks that cannot overflow for any uptime a process reaches. */
final class RtpClock {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private RtpClock() {
    }

    /** Non-negative {@code nanos} in ticks of a {@code ticksPerSecond} clock, rounded down. */
    static long nanosToTicks(long nanos, long ticksPerSecond) {
        // Split into whole seconds and the rest: nanos * rate alone overflows after about a day at 90 kHz.
        return nanos / NANOS_PER_SECOND * ticksPerSecond + nanos % NANOS_PER_SECOND * ticksPerSecond / NANOS_PER_SECOND;
    }

    /** A 64-bit NTP timestamp (RFC 5905: 32 bits seconds, 32 bits fraction) in nanoseconds. */
    static long ntpToNanos(long ntp) {
        long seconds = ntp >>> 32;
        long fraction = ntp & 0xffffffffL;
        return seconds * NANOS_PER_SECOND + (fraction * NANOS_PER_SECOND >>> 32);
    }
}
