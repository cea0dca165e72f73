package io.estuary.server.api;

import static io.estuary.server.api.StreamView.round;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.estuary.transcoder.RenditionStats;
import io.estuary.transcoder.TranscodeStats;
import java.util.List;

/**
 * A transcoded stream's ladder as the API shows it: what each rendition puts out, and whether the transcoder keeps
 * up ({@code speed} above 1, {@code sheddingLevel} 0). The same figures as the {@code estuary_transcoder_*} metrics.
 */
record TranscoderView(double speed, double lagMs, int sheddingLevel, long sourceFramesSkipped,
        List<Rendition> renditions) {

    /** {@code bitrateBps} is the target, left out for the source passed through as it is. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Rendition(String name, boolean passthrough, int width, int height, Integer bitrateBps,
            double framesPerSecond, long frames, long droppedFrames, double workSeconds) {
    }

    static TranscoderView of(TranscodeStats stats) {
        List<Rendition> renditions = stats.renditions().stream().map(TranscoderView::rendition).toList();
        return new TranscoderView(round(stats.speed()), round(stats.lagSeconds() * 1000),
                stats.sheddingLevel(), stats.sourceFramesSkipped(), renditions);
    }

    private static Rendition rendition(RenditionStats r) {
        return new Rendition(r.name(), r.passthrough(), r.width(), r.height(), r.passthrough() ? null : r.bitrate(),
                round(r.framesPerSecond()), r.frames(), r.droppedFrames(), round(r.workSeconds()));
    }
}
