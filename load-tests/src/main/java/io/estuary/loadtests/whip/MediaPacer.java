package io.estuary.loadtests.whip;

import io.estuary.protocols.webrtc.srtp.SrtpSession;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Sends the clip in real time as a browser's encoder would: each picture and each Opus packet when its timestamp
 * comes due on the wall clock, looping with timestamps and sequence numbers that carry on (a loop starts where the
 * last one ended, so the receiver sees one continuous stream); and a sender report for each source every second,
 * which ties both RTP clocks to the same wall clock so the server can line audio up with video.
 */
final class MediaPacer {
    private static final long REPORT_INTERVAL_NANOS = 1_000_000_000L;
    /**
     * Audio leads video by this much on the wire, as in a browser, whose microphone sends while the camera's encoder
     * is still making its first keyframe. It matters to the server: WhipMedia announces its tracks at the first
     * keyframe and includes audio only if some has arrived by then, and never adds it later. The sender reports
     * still map both clocks to capture time, as a browser's do: the pictures are late on the wire, not out of sync.
     */
    private static final long VIDEO_LAG_NANOS = 100_000_000L;

    private final WhipClip clip;
    private final RtpStream video;
    private final RtpStream audio;
    private final SrtpSession srtp;
    private final String cname;
    private final Output out;
    private final long loopNanos;
    private final long videoLoopTicks;
    private final long audioLoopTicks;

    /** Where the packets go: the publication's ICE transport, or a test's list. */
    interface Output {
        /** An SRTP packet of the clip. */
        void media(byte[] packet);

        /** An SRTCP packet (a sender report). */
        void control(byte[] packet);

        /** A packet went out this late after its due time. */
        void late(long nanos);
    }

    MediaPacer(WhipClip clip, RtpStream video, RtpStream audio, SrtpSession srtp, String cname, Output out) {
        this.clip = clip;
        this.video = video;
        this.audio = audio;
        this.srtp = srtp;
        this.cname = cname;
        this.out = out;
        this.loopNanos = clip.loopMicros() * 1000;
        this.videoLoopTicks = clip.loopMicros() * WhipClip.VIDEO_CLOCK / 1_000_000;
        this.audioLoopTicks = clip.loopMicros() * WhipClip.OPUS_CLOCK / 1_000_000;
    }

    /** Sends until {@code running} turns false or the thread is interrupted. */
    void run(BooleanSupplier running) {
        long start = System.nanoTime();
        Instant wallStart = Instant.now();
        long unixStartNanos = wallStart.getEpochSecond() * 1_000_000_000L + wallStart.getNano();
        List<WhipClip.Picture> pictures = clip.video();
        List<WhipClip.OpusPacket> packets = clip.audio();
        long videoIndex = 0; // counts across loops
        long audioIndex = 0;
        // The first report follows the first picture: the server ignores one for a source it has not heard yet.
        long nextReport = start + VIDEO_LAG_NANOS + 10_000_000L;
        while (running.getAsBoolean() && !Thread.currentThread().isInterrupted()) {
            WhipClip.Picture picture = pictures.get((int) (videoIndex % pictures.size()));
            long videoLoop = videoIndex / pictures.size();
            long videoTicks = videoLoop * videoLoopTicks + picture.timestamp();
            long videoDue = start + VIDEO_LAG_NANOS + videoLoop * loopNanos
                    + picture.timestamp() * 1_000_000_000L / WhipClip.VIDEO_CLOCK;
            WhipClip.OpusPacket packet = packets.get((int) (audioIndex % packets.size()));
            long audioLoop = audioIndex / packets.size();
            long audioTicks = audioLoop * audioLoopTicks + packet.timestamp();
            long audioDue = start + audioLoop * loopNanos + packet.timestamp() * 1_000_000_000L / WhipClip.OPUS_CLOCK;
            long due = Math.min(nextReport, Math.min(videoDue, audioDue));
            if (!waitUntil(due, running)) {
                return;
            }
            out.late(System.nanoTime() - due);
            if (due == nextReport) {
                long elapsed = due - start;
                long ntp = PublisherRtcp.ntp(unixStartNanos + elapsed);
                out.control(srtp.protectRtcp(video.senderReport(ntp, elapsed, cname)));
                out.control(srtp.protectRtcp(audio.senderReport(ntp, elapsed, cname)));
                nextReport += REPORT_INTERVAL_NANOS;
            } else if (videoDue <= audioDue) {
                List<byte[]> payloads = H264Packetizer.payloads(picture.nalUnits(), clip.sps(), clip.pps(),
                        H264Packetizer.DEFAULT_MAX_PAYLOAD);
                for (int i = 0; i < payloads.size(); i++) {
                    out.media(video.packet(i == payloads.size() - 1, videoTicks, payloads.get(i)));
                }
                videoIndex++;
            } else {
                // RFC 7587 section 4.1: the marker starts a talkspurt; the clip's audio is one continuous spurt.
                out.media(audio.packet(audioIndex == 0, audioTicks, packet.data()));
                audioIndex++;
            }
        }
    }

    /** Sleeps until {@code nanoTime} reaches {@code due}; false when stopped meanwhile. */
    private static boolean waitUntil(long due, BooleanSupplier running) {
        for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.currentThread().isInterrupted() || !running.getAsBoolean()) {
                return false;
            }
        }
        return true;
    }
}
