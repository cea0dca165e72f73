package io.estuary.protocols.whip;

import io.estuary.media.frame.AvcConfig;
import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.OpusConfig;
import io.estuary.media.frame.TrackInfo;
import io.estuary.media.router.LiveStream;
import io.estuary.protocols.webrtc.rtp.H264AccessUnit;
import io.estuary.protocols.webrtc.rtp.H264Assembler;
import io.estuary.protocols.webrtc.rtp.H264Depacketizer;
import io.estuary.protocols.webrtc.rtp.LipSync;
import io.estuary.protocols.webrtc.rtp.ReceiveStream;
import io.estuary.protocols.webrtc.rtp.ReportBlock;
import io.estuary.protocols.webrtc.rtp.RtcpPacket;
import io.estuary.protocols.webrtc.rtp.RtpException;
import io.estuary.protocols.webrtc.rtp.RtpPacket;
import io.estuary.protocols.webrtc.rtp.Rtcp;
import io.estuary.protocols.webrtc.rtp.RtcpWriter;
import io.estuary.protocols.webrtc.rtp.VideoSample;
import io.estuary.protocols.webrtc.sdp.Negotiated;
import io.estuary.protocols.webrtc.sdp.Negotiation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The media half of one WHIP session, after SRTP: RTP packets into reorder buffers, H.264 access units and Opus
 * packets out as {@link MediaFrame}s on one timeline; and the RTCP we owe the publisher (receiver reports, NACKs,
 * PLIs). Everything runs on the session's thread, so nothing here is shared or locked.
 */
final class WhipMedia {
    static final int VIDEO_TRACK = 1;
    static final int AUDIO_TRACK = 2;
    private static final int VIDEO = 0;
    private static final int AUDIO = 1;
    private static final String CNAME = "estuary";
    private static final long REPORT_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();
    /** Keyframe requests no more often than this: an encoder needs time to send the last one. */
    private static final long PLI_INTERVAL_NANOS = Duration.ofMillis(500).toNanos();
    /**
     * How long the start waits for every negotiated track to show itself (video: its first keyframe) before the
     * stream is published with the tracks that came.
     */
    private static final long START_GRACE_NANOS = Duration.ofSeconds(3).toNanos();
    /** Frames held meanwhile: the grace at 30 fps with audio, and then some. */
    private static final int MAX_HELD_FRAMES = 512;

    private final LiveStream stream;
    private final WhipConfig config;
    private final WhipStats stats;
    private final Negotiated video;
    private final Negotiated audio;
    private final boolean videoNack;
    private final long localSsrc = ThreadLocalRandom.current().nextLong(1, 0xFFFF_FFFFL);
    private final LipSync lipSync;
    private final long startNanos;
    private final long keyframeIntervalNanos;
    private final ReceiveStream.Settings videoSettings;
    private final ReceiveStream.Settings audioSettings;

    private ReceiveStream videoStream;
    private ReceiveStream audioStream;
    private H264Depacketizer depacketizer = new H264Depacketizer();
    private H264Assembler assembler = new H264Assembler();
    private AvcConfig videoConfig;
    private boolean audioSeen;
    private boolean tracksPublished;
    private final List<MediaFrame> held = new ArrayList<>();
    private long packets;
    private long nacked;
    private long plis;
    private long lastReportNanos;
    private long lastPliNanos = Long.MIN_VALUE / 2;
    private long lastKeyframeNanos;
    private long foldedLost;
    private long foldedRecovered;
    // This session's counts, written on the session's thread at each tick, read by the API's.
    private volatile long sessionPackets;
    private volatile long sessionLost;
    private volatile long sessionRecovered;
    private volatile long sessionNacked;
    private volatile long sessionPlis;

    WhipMedia(Negotiation negotiation, LiveStream stream, WhipConfig config, WhipStats stats, long nowNanos) {
        this.stream = stream;
        this.config = config;
        this.stats = stats;
        this.video = negotiation.video().orElse(null);
        this.audio = negotiation.audio().orElse(null);
        this.videoNack = video != null && video.codec().rtcpFeedback().stream().anyMatch(fb -> fb.equals("nack"));
        this.lipSync = new LipSync(2, new int[] {TrackInfo.VIDEO_TIMESCALE, OpusConfig.SAMPLE_RATE}, nowNanos);
        this.startNanos = nowNanos;
        this.keyframeIntervalNanos = config.keyframeInterval() == null ? 0 : config.keyframeInterval().toNanos();
        this.lastReportNanos = nowNanos;
        this.videoSettings = ReceiveStream.Settings.video().withMaxWait(config.videoMaxWait());
        this.audioSettings = ReceiveStream.Settings.audio().withMaxWait(config.audioMaxWait());
    }

    /** A decrypted RTP packet. Packets of payload types we did not accept are counted as stray. */
    void onRtp(byte[] buf, int len, long nowNanos) {
        RtpPacket packet;
        try {
            packet = RtpPacket.parse(buf, 0, len);
        } catch (RtpException e) {
            stats.malformed.increment();
            return;
        }
        stats.rtpPackets.increment();
        stats.rtpBytes.add(len);
        packets++;
        int pt = packet.payloadType();
        if (video != null && pt == video.codec().payloadType()) {
            videoStream = streamFor(videoStream, packet, TrackInfo.VIDEO_TIMESCALE, videoSettings);
            videoStream.receive(packet, nowNanos);
            for (ReceiveStream.Released r : videoStream.release(nowNanos)) {
                onVideoPacket(r, nowNanos);
            }
        } else if (audio != null && pt == audio.codec().payloadType()) {
            audioStream = streamFor(audioStream, packet, OpusConfig.SAMPLE_RATE, audioSettings);
            audioStream.receive(packet, nowNanos);
            for (ReceiveStream.Released r : audioStream.release(nowNanos)) {
                onAudioPacket(r.packet(), nowNanos);
            }
        } else {
            stats.unknownPayloadType.increment();
        }
    }

    /** A new SSRC on a payload type (the publisher restarted its encoder) starts a new receive stream. */
    private ReceiveStream streamFor(ReceiveStream current, RtpPacket packet, int clockRate,
            ReceiveStream.Settings settings) {
        if (current != null && current.ssrc() == packet.ssrc()) {
            return current;
        }
        if (current != null && clockRate == TrackInfo.VIDEO_TIMESCALE) {
            depacketizer = new H264Depacketizer();
            assembler = new H264Assembler();
        }
        return new ReceiveStream(packet.ssrc(), clockRate, settings);
    }

    /** A decrypted compound RTCP packet; returns whether it carried a BYE (the publisher is leaving). */
    boolean onRtcp(byte[] buf, int len, long nowNanos) {
        List<RtcpPacket> packets;
        try {
            packets = Rtcp.parse(buf, 0, len);
        } catch (RtpException e) {
            stats.malformed.increment();
            return false;
        }
        boolean bye = false;
        for (RtcpPacket p : packets) {
            if (p instanceof RtcpPacket.SenderReport sr) {
                if (videoStream != null && sr.ssrc() == videoStream.ssrc()) {
                    videoStream.onSenderReport(sr, nowNanos);
                    lipSync.onSenderReport(VIDEO, sr.ntpTimestamp(), sr.rtpTimestamp());
                } else if (audioStream != null && sr.ssrc() == audioStream.ssrc()) {
                    audioStream.onSenderReport(sr, nowNanos);
                    lipSync.onSenderReport(AUDIO, sr.ntpTimestamp(), sr.rtpTimestamp());
                }
            }
            bye |= p instanceof RtcpPacket.Bye;
        }
        return bye;
    }

    private void onVideoPacket(ReceiveStream.Released released, long nowNanos) {
        for (H264AccessUnit unit : depacketizer.push(released.packet(), released.afterGap())) {
            assembler.assemble(unit).ifPresent(sample -> publishVideo(sample, nowNanos));
        }
    }

    private void publishVideo(VideoSample sample, long nowNanos) {
        if (sample.newConfig() != null) {
            videoConfig = sample.newConfig();
            tracksPublished = false; // announced again, with the new configuration
        }
        if (videoConfig == null) {
            return;
        }
        if (sample.keyframe()) {
            lastKeyframeNanos = nowNanos;
        }
        long dts = lipSync.toTimeline(VIDEO, sample.rtpTimestamp(), nowNanos);
        emit(new MediaFrame(VIDEO_TRACK, MediaType.VIDEO, dts, 0, sample.keyframe(), sample.data(),
                System.currentTimeMillis(), nowNanos), nowNanos);
    }

    private void onAudioPacket(RtpPacket packet, long nowNanos) {
        byte[] payload = packet.payload();
        if (payload.length == 0) {
            return; // DTX comfort packets may be empty; nothing to decode
        }
        audioSeen = true;
        // Before the first picture, audio is dropped: the stream starts with a keyframe. An audio-only offer, or
        // video that never comes, does not wait for ever.
        if (!tracksPublished && videoConfig == null && video != null && !startupGraceOver(nowNanos)) {
            return;
        }
        long dts = lipSync.toTimeline(AUDIO, packet.timestamp(), nowNanos);
        emit(new MediaFrame(AUDIO_TRACK, MediaType.AUDIO, dts, 0, true, payload, System.currentTimeMillis(),
                nowNanos), nowNanos);
    }

    /**
     * Publishes a frame once the tracks are announced. At the start, frames are held until both negotiated tracks
     * have shown themselves (or the grace is over), so that the tracks are announced once, together: a track
     * added afterwards would be a change of tracks for the packager (a new period, a new init segment).
     */
    private void emit(MediaFrame frame, long nowNanos) {
        if (!tracksPublished) {
            boolean ready = (video == null || videoConfig != null || startupGraceOver(nowNanos))
                    && (audio == null || audioSeen || startupGraceOver(nowNanos));
            if (!ready) {
                if (held.size() < MAX_HELD_FRAMES) {
                    held.add(frame);
                }
                return;
            }
            announce();
        }
        publishCounted(frame);
    }

    private void announce() {
        publishTracks();
        for (MediaFrame f : held) {
            publishCounted(f);
        }
        held.clear();
    }

    private void publishCounted(MediaFrame frame) {
        stream.publish(frame);
        (frame.type() == MediaType.VIDEO ? stats.videoFrames : stats.audioFrames).increment();
    }

    private boolean startupGraceOver(long nowNanos) {
        return nowNanos - startNanos > START_GRACE_NANOS;
    }

    private void publishTracks() {
        List<TrackInfo> tracks = new ArrayList<>(2);
        if (videoConfig != null) {
            tracks.add(TrackInfo.video(VIDEO_TRACK, videoConfig));
        }
        if (audio != null && audioSeen) {
            tracks.add(TrackInfo.audio(AUDIO_TRACK, OpusConfig.of(audio.codec().channels(), 0,
                    OpusConfig.SAMPLE_RATE)));
        }
        stream.updateTracks(tracks);
        tracksPublished = true;
    }

    /**
     * Called every few tens of milliseconds: releases packets whose gap was given up, and returns the RTCP to send
     * now (plain; the session protects it): NACKs for missing video packets, a PLI when the picture is broken or
     * has not started, and a receiver report at least every second. Each is a compound packet led by a receiver
     * report (RFC 4585 section 3.1), so any of them counts as the report.
     */
    List<byte[]> tick(long nowNanos) {
        if (videoStream != null) {
            for (ReceiveStream.Released r : videoStream.release(nowNanos)) {
                onVideoPacket(r, nowNanos);
            }
        }
        if (audioStream != null) {
            for (ReceiveStream.Released r : audioStream.release(nowNanos)) {
                onAudioPacket(r.packet(), nowNanos);
            }
        }
        if (!tracksPublished && !held.isEmpty() && startupGraceOver(nowNanos)) {
            announce(); // a negotiated track never came: the stream goes on without it
        }
        foldCounters();
        List<byte[]> out = new ArrayList<>(2);
        if (videoStream != null && videoNack) {
            List<Integer> missing = videoStream.nacksDue(nowNanos);
            if (!missing.isEmpty()) {
                stats.nackedPackets.add(missing.size());
                nacked += missing.size();
                out.add(RtcpWriter.nack(localSsrc, CNAME, reportBlocks(nowNanos), videoStream.ssrc(), missing));
            }
        }
        // A keyframe is due when the picture is broken or has not started, and every keyframe interval: a browser
        // encoder sends one only when asked, and each segment must start with one.
        boolean needKeyframe = videoStream != null
                && (videoConfig == null || depacketizer.needsKeyframe() || assembler.needsKeyframe()
                        || (keyframeIntervalNanos > 0 && nowNanos - lastKeyframeNanos >= keyframeIntervalNanos));
        if (needKeyframe && nowNanos - lastPliNanos >= PLI_INTERVAL_NANOS) {
            lastPliNanos = nowNanos;
            stats.plis.increment();
            plis++;
            out.add(RtcpWriter.pli(localSsrc, CNAME, reportBlocks(nowNanos), videoStream.ssrc()));
        }
        if (out.isEmpty() && nowNanos - lastReportNanos >= REPORT_INTERVAL_NANOS
                && (videoStream != null || audioStream != null)) {
            out.add(RtcpWriter.receiverReport(localSsrc, CNAME, reportBlocks(nowNanos)));
        }
        if (!out.isEmpty()) {
            lastReportNanos = nowNanos;
        }
        return out;
    }

    private List<ReportBlock> reportBlocks(long nowNanos) {
        List<ReportBlock> blocks = new ArrayList<>(2);
        if (videoStream != null) {
            blocks.add(videoStream.reportBlock(nowNanos));
        }
        if (audioStream != null) {
            blocks.add(audioStream.reportBlock(nowNanos));
        }
        return blocks;
    }

    /** This session's counts for {@link WhipSessionInfo}, in its order: packets, lost, recovered, NACKed, PLIs. */
    long[] sessionCounts() {
        return new long[] {sessionPackets, sessionLost, sessionRecovered, sessionNacked, sessionPlis};
    }

    /** Adds what the receive streams lost and recovered since the last tick to the server's counters. */
    private void foldCounters() {
        long lost = (videoStream == null ? 0 : videoStream.packetsLost())
                + (audioStream == null ? 0 : audioStream.packetsLost());
        long recovered = (videoStream == null ? 0 : videoStream.packetsRecovered())
                + (audioStream == null ? 0 : audioStream.packetsRecovered());
        // A receive stream replaced by a new SSRC restarts from zero: only growth is counted.
        stats.packetsLost.add(Math.max(0, lost - foldedLost));
        stats.packetsRecovered.add(Math.max(0, recovered - foldedRecovered));
        sessionLost += Math.max(0, lost - foldedLost);
        sessionRecovered += Math.max(0, recovered - foldedRecovered);
        foldedLost = lost;
        foldedRecovered = recovered;
        sessionPackets = packets;
        sessionNacked = nacked;
        sessionPlis = plis;
    }
}
