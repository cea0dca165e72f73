package io.estuary.packager.hls;

import io.estuary.media.codec.aac.AudioSpecificConfig;
import io.estuary.media.codec.h264.SpsInfo;
import io.estuary.media.frame.AacConfig;
import io.estuary.media.frame.AvcConfig;
import io.estuary.media.frame.TrackInfo;
import io.estuary.media.router.StreamKey;
import io.estuary.packager.PackagerConfig;
import io.estuary.packager.cmaf.CmafPart;
import io.estuary.packager.cmaf.PackagedTrack;
import io.estuary.packager.cmaf.SegmenterListener;
import io.estuary.packager.drm.StreamProtection;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives an {@link HlsStream} the way the segmenter does, with synthetic parts: 0.5 s parts, the first of each
 * segment independent, wall clock from {@link #BASE_MILLIS} (2023-11-14T22:13:20Z) in media time.
 */
final class HlsFixture {

    static final long BASE_MILLIS = 1_700_000_000_000L;
    static final Instant NOW = Instant.parse("2024-01-01T00:00:00Z");

    static final TrackInfo VIDEO = TrackInfo.video(1, new AvcConfig(new byte[] {1, 100, 0, 31}, List.of(), List.of(),
            4, new SpsInfo(100, 0, 31, 1280, 720, 29.97)));
    static final TrackInfo VIDEO_NO_FPS = TrackInfo.video(1, new AvcConfig(new byte[] {1, 66, 0, 30}, List.of(),
            List.of(), 4, new SpsInfo(66, 0xc0, 30, 640, 360, 0)));
    static final TrackInfo AUDIO = TrackInfo.audio(2,
            AacConfig.fromAudioSpecificConfig(AudioSpecificConfig.aacLc(48_000, 2)));
    /** An ABR ladder as the transcoder publishes it: three labelled renditions and AAC. */
    static final List<TrackInfo> LADDER = List.of(
            VIDEO.withLabel("720p"),
            TrackInfo.video(2, new AvcConfig(new byte[] {1, 77, 0, 30}, List.of(), List.of(), 4,
                    new SpsInfo(77, 0x40, 30, 854, 480, 29.97))).withLabel("480p"),
            TrackInfo.video(3, new AvcConfig(new byte[] {1, 66, 0, 30}, List.of(), List.of(), 4,
                    new SpsInfo(66, 0xc0, 30, 640, 360, 29.97))).withLabel("360p"),
            AUDIO.withTrackId(4));

    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final HlsStream stream;
    final List<PackagedTrack> tracks = new ArrayList<>();
    final Map<String, Long> msn = new HashMap<>();
    final Map<String, Integer> partIndex = new HashMap<>();
    final Map<String, List<byte[]>> segmentParts = new HashMap<>();
    long mediaMillis;
    int partBytes = 0;
    /** Part sizes by track name, over {@link #partBytes}. */
    final Map<String, Integer> trackPartBytes = new HashMap<>();
    /** Where parts and track starts go: the stream itself, or one of its sessions. */
    SegmenterListener target;
    /** The protection of the tracks {@link #start} starts next; null for clear media. */
    StreamProtection protection;

    HlsFixture(PackagerConfig config) {
        stream = new HlsStream(new StreamKey("live", "test"), config, Clock.fixed(NOW, ZoneOffset.UTC),
                nanos::get, HlsStream.DEFAULT_MAX_WAITERS);
        target = stream;
    }

    HlsFixture(PackagerConfig config, int maxWaiters) {
        stream = new HlsStream(new StreamKey("live", "test"), config, Clock.fixed(NOW, ZoneOffset.UTC),
                nanos::get, maxWaiters);
        target = stream;
    }

    static PackagerConfig config(int windowSegments, long windowBytes) {
        return new PackagerConfig(Duration.ofSeconds(2), Duration.ofMillis(500), windowSegments, windowBytes,
                Duration.ofSeconds(60));
    }

    static HlsFixture videoAudio() {
        HlsFixture f = new HlsFixture(config(10, 256L << 20));
        f.start("e1", VIDEO, AUDIO);
        return f;
    }

    /** A new epoch for the given tracks (named by label, else "video" for video, "audio" for audio). */
    void start(String epoch, TrackInfo... infos) {
        tracks.clear();
        for (TrackInfo info : infos) {
            String name = info.label() != null ? info.label()
                    : info.type() == io.estuary.media.frame.MediaType.VIDEO ? "video" : "audio";
            PackagedTrack t = new PackagedTrack(name, info, epoch, protection);
            tracks.add(t);
            target.onTrackStart(t, ("init-" + name + "-" + epoch).getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** One part of every track; the last part of a segment when {@code ends}. */
    void part(boolean ends) {
        for (PackagedTrack t : tracks) {
            String name = t.name();
            long m = msn.getOrDefault(name, 0L);
            int idx = partIndex.getOrDefault(name, 0);
            int size = trackPartBytes.getOrDefault(name, partBytes);
            byte[] bytes = size > 0 ? new byte[size]
                    : (name + "-" + m + "-" + idx + ";").getBytes(StandardCharsets.US_ASCII);
            if (size > 0) {
                bytes[0] = (byte) m;
                bytes[1] = (byte) idx;
            }
            int timescale = t.info().timescale();
            long duration = timescale / 2;
            int samples = t.info().type() == io.estuary.media.frame.MediaType.VIDEO ? 15 : 23;
            long time = mediaMillis * timescale / 1000;
            CmafPart p = new CmafPart(t, bytes, time, time, duration, samples, idx == 0, ends,
                    BASE_MILLIS + mediaMillis, nanos.get() - 250_000_000L);
            segmentParts.computeIfAbsent(name + "/" + m, k -> new ArrayList<>()).add(bytes);
            target.onPart(p);
            if (ends) {
                msn.put(name, m + 1);
                partIndex.put(name, 0);
            } else {
                partIndex.put(name, idx + 1);
            }
        }
        mediaMillis += 500;
    }

    /** A whole segment of {@code parts} parts on every track. */
    void segment(int parts) {
        for (int i = 0; i < parts; i++) {
            part(i == parts - 1);
        }
    }

    void segments(int count) {
        for (int i = 0; i < count; i++) {
            segment(4);
        }
    }

    String playlist(String track) {
        return playlist(track, PlaylistQuery.NONE);
    }

    String playlist(String track, PlaylistQuery q) {
        CompletableFuture<HlsResponse> f = stream.mediaPlaylist(track, q);
        if (!f.isDone()) {
            throw new AssertionError("playlist request is still waiting");
        }
        HlsResponse r = f.join();
        if (r.status() != Status.OK) {
            throw new AssertionError(r.status() + ": " + r.message());
        }
        return r.bodyText();
    }

    HlsResponse object(String path) {
        CompletableFuture<HlsResponse> f = stream.mediaObject(path);
        if (!f.isDone()) {
            throw new AssertionError("object request is still waiting: " + path);
        }
        return f.join();
    }
}
