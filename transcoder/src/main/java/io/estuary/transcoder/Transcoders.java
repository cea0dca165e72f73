package io.estuary.transcoder;

import io.estuary.media.frame.TrackInfo;
import io.estuary.media.router.LiveStream;
import io.estuary.media.router.StreamKey;
import io.estuary.media.router.StreamListener;
import io.estuary.media.router.StreamRegistry;
import io.estuary.transcoder.ffmpeg.AudioSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a transcoder between ingest and packaging. It listens to the ingest registry; for each publish session it
 * opens an output session of the same key in the {@code outputs} registry, which the packager listens to, and
 * feeds it: through a {@link TranscodeSession} on a thread of the stream's own when the stream is transcoded, or
 * through a {@link Relay} when it is not. A stream that is not transcoded but has Opus audio (WebRTC) still gets
 * its audio transcoded to AAC, by an {@link AudioTranscodingRelay} on a thread of its own, unless
 * {@code audio.opus-passthrough} is set. Dropping the output (the packager refusing it) drops the publisher.
 */
public final class Transcoders implements StreamListener {

    private static final Logger log = LoggerFactory.getLogger(Transcoders.class);

    private final TranscoderConfig config;
    private final StreamRegistry outputs;
    private final Map<StreamKey, TranscodeStats> active = new ConcurrentHashMap<>();

    public Transcoders(TranscoderConfig config, StreamRegistry outputs) {
        this.config = config;
        this.outputs = outputs;
    }

    @Override
    public void onStreamStarted(LiveStream source) {
        LiveStream output = outputs.publishReplacing(source.key(), source.publisher(), source::drop);
        TranscoderConfig.Policy policy = config.policyFor(source.key());
        if (!policy.enabled()) {
            source.subscribe(new Relay(output, tracks -> handOffOpus(source, output, tracks)), Runnable::run,
                    config.queueFrames());
            return;
        }
        StreamKey key = source.key();
        ExecutorService thread = daemonThread("transcode-" + key);
        TranscodeStats stats = new TranscodeStats(key);
        active.put(key, stats);
        TranscodeSession session = new TranscodeSession(key, config, policy.ladder(), output, stats, () -> {
            active.remove(key, stats);
            thread.shutdown();
            log.debug("{}: transcoder closed", key);
        });
        source.subscribe(session, thread, config.queueFrames());
    }

    /**
     * Called by the relay of a stream that is not transcoded, on the publisher's thread, for each new track list:
     * when it has Opus audio to transcode, subscribes an {@link AudioTranscodingRelay} to the rest of the session
     * and returns true (the relay then stands aside).
     */
    private boolean handOffOpus(LiveStream source, LiveStream output, List<TrackInfo> tracks) {
        if (config.audio().opusPassthrough() || !AudioTranscodingRelay.hasOpus(tracks)) {
            return false;
        }
        TranscoderConfig.AudioDefaults a = config.audio();
        ExecutorService thread = daemonThread("audio-transcode-" + source.key());
        AudioTranscodingRelay relay = new AudioTranscodingRelay(source.key(),
                new AudioSettings(a.sampleRate(), a.channels(), a.bitrate()), output, () -> {
                    thread.shutdown();
                    log.debug("{}: audio transcoder closed", source.key());
                });
        source.subscribe(relay, thread, config.queueFrames());
        return true;
    }

    private static ExecutorService daemonThread(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** The transcoders now running, by stream. */
    public List<TranscodeStats> active() {
        return List.copyOf(active.values());
    }

    /** The stream's transcoder, while one runs (empty for a stream packaged as published). */
    public Optional<TranscodeStats> session(StreamKey key) {
        return Optional.ofNullable(active.get(key));
    }
}
