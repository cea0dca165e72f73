package io.estuary.protocols.rtmp.flv;

import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.TrackInfo;
import io.estuary.protocols.rtmp.RtmpProtocolException;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the FLV audio and video tag bodies of one publish session into tracks and frames.
 *
 * <p>Tracks are announced once every track the session has carries its configuration: the tracks
 * {@code onMetaData} promised, or without metadata the sequence headers seen before the first media frame.
 * Until then frames are dropped (counted). A later differing sequence header re-announces the tracks (a codec
 * change). Codecs we cannot package yet (legacy or enhanced-RTMP FourCCs other than avc1/mp4a) are logged once
 * and their frames dropped (counted), without disturbing the rest of the session.
 *
 * <p>Does not release the buffers it is given; the caller owns them.
 */
public final class FlvIngest {
    private static final Logger log = LoggerFactory.getLogger(FlvIngest.class);
    /** Frames we wait for a promised track's configuration before announcing what we have. */
    private static final int MAX_WAIT_FRAMES = 300;
    private static final int VIDEO_AVC = 7;
    private static final int AUDIO_AAC = 10;
    private static final int AUDIO_EX_HEADER = 9;
    private static final int FRAME_TYPE_KEY = 1;
    private static final int FRAME_TYPE_COMMAND = 5;

    private final FrameSink sink;
    private final String name;
    private final AvcTrack video = new AvcTrack();
    private final AacTrack audio = new AacTrack();
    private final Set<String> reportedUnsupported = new HashSet<>();
    private StreamMetadata metadata;
    private boolean videoUnsupported;
    private boolean audioUnsupported;
    private boolean announced;
    private int waited;
    private long droppedFrames;
    private long unsupportedFrames;

    /** @param name the stream, for log lines */
    public FlvIngest(FrameSink sink, String name) {
        this.sink = sink;
        this.name = name;
    }

    public StreamMetadata metadata() {
        return metadata;
    }

    /** Frames dropped because their track had no configuration (yet). */
    public long droppedFrames() {
        return droppedFrames;
    }

    /** Frames dropped because their codec is not supported. */
    public long unsupportedFrames() {
        return unsupportedFrames;
    }

    public void onMetadata(StreamMetadata metadata) {
        this.metadata = metadata;
        video.metadataFrameRate(metadata.frameRate());
    }

    public void onVideo(long timestamp, ByteBuf tag) {
        if (!tag.isReadable()) {
            return;
        }
        int first = tag.readUnsignedByte();
        if ((first & 0x80) != 0) {
            onExVideo(timestamp, first, tag);
            return;
        }
        int frameType = (first >>> 4) & 0x07;
        int codecId = first & 0x0f;
        if (frameType == FRAME_TYPE_COMMAND) {
            return; // video info / command frame: no picture
        }
        if (codecId != VIDEO_AVC) {
            unsupportedVideo("FLV video codec id " + codecId);
            return;
        }
        need(tag, 4, "AVC packet header");
        int packetType = tag.readUnsignedByte();
        int cts = (tag.readMedium() << 8) >> 8; // SI24
        avcPacket(timestamp, packetType == 0 ? 0 : packetType == 1 ? 1 : 2, cts, frameType == FRAME_TYPE_KEY, tag);
    }

    /** Enhanced RTMP video: [IsExHeader|FrameType(3)|PacketType(4)] FourCC, then the body. */
    private void onExVideo(long timestamp, int first, ByteBuf tag) {
        int frameType = (first >>> 4) & 0x07;
        int packetType = first & 0x0f;
        if (frameType == FRAME_TYPE_COMMAND) {
            return;
        }
        need(tag, 4, "video FourCC");
        String fourCc = tag.readCharSequence(4, StandardCharsets.ISO_8859_1).toString();
        if (!fourCc.equals("avc1")) {
            unsupportedVideo("enhanced RTMP video " + printable(fourCc));
            return;
        }
        switch (packetType) {
            case 0 -> avcPacket(timestamp, 0, 0, false, tag); // SequenceStart
            case 1 -> { // CodedFrames: SI24 composition time, then NAL units
                need(tag, 3, "composition time");
                int cts = (tag.readMedium() << 8) >> 8;
                avcPacket(timestamp, 1, cts, frameType == FRAME_TYPE_KEY, tag);
            }
            case 3 -> avcPacket(timestamp, 1, 0, frameType == FRAME_TYPE_KEY, tag); // CodedFramesX: cts 0
            default -> {
                // SequenceEnd, Metadata (HDR info), multitrack and ModEx carry nothing we package yet.
            }
        }
    }

    /** @param kind 0 sequence header, 1 coded frames, 2 end of sequence */
    private void avcPacket(long timestamp, int kind, int cts, boolean keyframe, ByteBuf body) {
        if (kind == 0) {
            video.sequenceHeader(body);
            announceChanges();
        } else if (kind == 1) {
            MediaFrame frame = video.frame(timestamp, cts, keyframe, body);
            announceChanges();
            deliver(frame, video.config() != null);
        }
    }

    public void onAudio(long timestamp, ByteBuf tag) {
        if (!tag.isReadable()) {
            return;
        }
        int first = tag.readUnsignedByte();
        int format = first >>> 4;
        if (format == AUDIO_EX_HEADER) {
            int packetType = first & 0x0f;
            need(tag, 4, "audio FourCC");
            String fourCc = tag.readCharSequence(4, StandardCharsets.ISO_8859_1).toString();
            if (!fourCc.equals("mp4a")) {
                unsupportedAudio("enhanced RTMP audio " + printable(fourCc));
                return;
            }
            aacPacket(timestamp, packetType == 0 ? 0 : packetType == 1 ? 1 : 2, tag);
            return;
        }
        if (format != AUDIO_AAC) {
            unsupportedAudio("FLV sound format " + format);
            return;
        }
        need(tag, 1, "AAC packet type");
        int packetType = tag.readUnsignedByte();
        aacPacket(timestamp, packetType == 0 ? 0 : packetType == 1 ? 1 : 2, tag);
    }

    private void aacPacket(long timestamp, int kind, ByteBuf body) {
        if (kind == 0) {
            audio.sequenceHeader(body);
            announceChanges();
        } else if (kind == 1) {
            deliver(audio.frame(timestamp, body), audio.config() != null);
        }
    }

    private void deliver(MediaFrame frame, boolean configured) {
        if (frame == null) {
            if (!configured) {
                droppedFrames++;
            }
            return;
        }
        if (!announced && !announceIfReady()) {
            droppedFrames++;
            return;
        }
        sink.publish(frame);
    }

    private boolean announceIfReady() {
        boolean ready = true;
        if (metadata != null) {
            boolean videoReady = !metadata.hasVideo() || videoUnsupported || video.config() != null;
            boolean audioReady = !metadata.hasAudio() || audioUnsupported || audio.config() != null;
            ready = videoReady && audioReady;
        }
        if (!ready && ++waited > MAX_WAIT_FRAMES) {
            log.warn("{}: onMetaData promised a track whose sequence header never came; going on without it",
                    name);
            ready = true;
        }
        if (ready) {
            announced = true;
            video.takeConfigChanged();
            audio.takeConfigChanged();
            sink.updateTracks(tracks());
        }
        return ready;
    }

    private void announceChanges() {
        boolean videoChanged = video.takeConfigChanged();
        boolean audioChanged = audio.takeConfigChanged();
        if (announced && (videoChanged || audioChanged)) {
            log.info("{}: codec configuration changed: {}", name, tracks());
            sink.updateTracks(tracks());
        }
        // Before the announcement there is nothing to re-announce: the first announcement has the latest configs.
    }

    /** The tracks that have a configuration, video first. */
    public List<TrackInfo> tracks() {
        List<TrackInfo> tracks = new ArrayList<>(2);
        if (video.track() != null) {
            tracks.add(video.track());
        }
        if (audio.track() != null) {
            tracks.add(audio.track());
        }
        return tracks;
    }

    private void unsupportedVideo(String what) {
        videoUnsupported = true;
        unsupported(what);
    }

    private void unsupportedAudio(String what) {
        audioUnsupported = true;
        unsupported(what);
    }

    private void unsupported(String what) {
        unsupportedFrames++;
        if (reportedUnsupported.add(what)) {
            log.warn("{}: {} is not supported yet; dropping its frames", name, what);
        }
    }

    private static void need(ByteBuf tag, int bytes, String what) {
        if (tag.readableBytes() < bytes) {
            throw new RtmpProtocolException("FLV tag too short for its " + what);
        }
    }

    private static String printable(String fourCc) {
        return fourCc.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? "'" + fourCc + "'" : "(binary FourCC)";
    }
}
