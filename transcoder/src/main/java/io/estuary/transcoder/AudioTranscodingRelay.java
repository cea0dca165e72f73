package io.estuary.transcoder;

import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.OpusConfig;
import io.estuary.media.frame.TrackInfo;
import io.estuary.media.router.LiveStream;
import io.estuary.media.router.StreamKey;
import io.estuary.media.router.StreamSubscriber;
import io.estuary.transcoder.ffmpeg.AudioSettings;
import io.estuary.transcoder.ffmpeg.AudioTranscoder;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays a session that is not transcoded, except for its Opus audio, which it transcodes to AAC-LC: HLS and DASH
 * players are given AAC, as every one of them plays it. Video and any other audio go out untouched; the AAC track
 * keeps the Opus track's id and label, so the packager names it as it would have named the Opus track.
 *
 * <p>It is subscribed on a thread of its own with a bounded queue, as {@link TranscodeSession} is: decoding and
 * encoding never run on the publisher's thread, and when it falls behind the router drops frames to the next
 * keyframe rather than stall the publisher. Timestamps: the AAC follows the Opus input's timeline (see
 * {@link AudioTranscoder}), so audio stays aligned with the untouched video within one AAC frame.
 */
final class AudioTranscodingRelay implements StreamSubscriber {

    private static final Logger log = LoggerFactory.getLogger(AudioTranscodingRelay.class);

    private final StreamKey key;
    private final AudioSettings settings;
    private final LiveStream output;
    private final Runnable onClosed;

    private List<TrackInfo> sourceTracks = List.of();
    /** The Opus track being transcoded, or -1 when none is. */
    private int opusTrackId = -1;
    private AudioTranscoder transcoder;
    private boolean ended;

    /** @param onClosed runs on this subscriber's thread once the session has ended and its native state is freed */
    AudioTranscodingRelay(StreamKey key, AudioSettings settings, LiveStream output, Runnable onClosed) {
        this.key = key;
        this.settings = settings;
        this.output = output;
        this.onClosed = onClosed;
    }

    /** Whether a track list has Opus audio: what this relay is for. */
    static boolean hasOpus(List<TrackInfo> tracks) {
        return tracks.stream().anyMatch(t -> t.type() == MediaType.AUDIO && t.config() instanceof OpusConfig);
    }

    @Override
    public void onTracks(List<TrackInfo> tracks) {
        if (ended || tracks.equals(sourceTracks)) {
            return;
        }
        TrackInfo opus = tracks.stream().filter(t -> t.type() == MediaType.AUDIO && t.config() instanceof OpusConfig)
                .findFirst().orElse(null);
        TrackInfo current = sourceTracks.stream().filter(t -> t.trackId() == opusTrackId).findFirst().orElse(null);
        sourceTracks = List.copyOf(tracks);
        if (opus == null || !opus.equals(current)) {
            // A new Opus configuration (or none): what is buffered belongs to the old one.
            closeTranscoder();
            if (opus != null) {
                openTranscoder(opus);
            }
        }
        List<TrackInfo> out = new ArrayList<>(tracks.size());
        for (TrackInfo t : tracks) {
            out.add(transcoder != null && t.trackId() == opusTrackId
                    ? new TrackInfo(t.trackId(), MediaType.AUDIO, settings.sampleRate(), transcoder.config(),
                            t.label())
                    : t);
        }
        output.updateTracks(out);
    }

    @Override
    public void onFrame(MediaFrame frame) {
        if (ended) {
            return;
        }
        if (frame.type() == MediaType.AUDIO && frame.trackId() == opusTrackId && transcoder != null) {
            transcoder.transcode(frame, output::publish);
        } else {
            output.publish(frame);
        }
    }

    @Override
    public void onEnd() {
        if (ended) {
            return;
        }
        ended = true;
        try {
            closeTranscoder();
        } finally {
            output.end();
            onClosed.run();
        }
    }

    private void openTranscoder(TrackInfo opus) {
        try {
            transcoder = AudioTranscoder.open((OpusConfig) opus.config(), settings);
            opusTrackId = opus.trackId();
            log.info("{}: transcoding Opus track {} ({}) to AAC-LC {} Hz, {} ch, {} bit/s", key, opus.trackId(),
                    opus.config(), settings.sampleRate(), settings.channels(), settings.bitrate());
        } catch (RuntimeException e) {
            // The packager carries Opus too: players that cannot play it lose the audio, the others keep it.
            log.error("{}: cannot transcode {} to AAC ({}); it is passed through as Opus", key, opus.config(),
                    e.getMessage(), e);
            transcoder = null;
            opusTrackId = -1;
        }
    }

    /** Flushes what the transcoder still holds into the output, then frees it. */
    private void closeTranscoder() {
        if (transcoder == null) {
            return;
        }
        AudioTranscoder t = transcoder;
        transcoder = null;
        opusTrackId = -1;
        try {
            t.flush(output::publish);
        } catch (RuntimeException e) {
            log.warn("{}: flushing the audio transcoder failed: {}", key, e.getMessage());
        } finally {
            t.close();
        }
    }
}
