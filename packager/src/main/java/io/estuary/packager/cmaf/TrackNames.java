package io.estuary.packager.cmaf;

import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.TrackInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which tracks of a stream are packaged, and under which names. The name is a track's URL path segment and its
 * playlist's name ({@code {name}.m3u8}), so it must be unique within the stream and stable across republishes.
 *
 * <ul>
 *   <li>A track whose codec has no CMAF sample entry is left out (every codec of the media model has one today:
 *       H.264, AAC and Opus).</li>
 *   <li>Every video track is packaged; only the first audio track is (one audio rendition, the default one).</li>
 *   <li>A labelled track is named by its label. An unlabelled one is {@code video} or {@code audio}, as the single
 *       track of its kind an ingest produces has always been named, so that its URLs stay the same; an unlabelled
 *       video track after the first gets {@code video_<trackId>}.</li>
 * </ul>
 */
final class TrackNames {

    static final String VIDEO = "video";
    static final String AUDIO = "audio";

    private static final Logger log = LoggerFactory.getLogger(TrackNames.class);

    /** A track to package, under its name. */
    record Named(String name, TrackInfo info) {
    }

    private TrackNames() {
    }

    /**
     * The tracks to package, videos first in the order given (the first is the lead), then the audio track.
     *
     * @throws IllegalArgumentException when two packaged tracks would get the same name
     */
    static List<Named> assign(List<TrackInfo> tracks) {
        List<Named> videos = new ArrayList<>();
        Named audio = null;
        for (TrackInfo t : tracks) {
            if (!CmafInitWriter.SUPPORTED.contains(t.config().getClass())) {
                log.info("Track {} ({}) is not packaged: no CMAF sample entry for {}", t.trackId(),
                        t.label() == null ? t.type() : t.label(), t.config().name());
                continue;
            }
            if (t.type() == MediaType.VIDEO) {
                String name = t.label() != null ? t.label() : videos.isEmpty() ? VIDEO : VIDEO + "_" + t.trackId();
                videos.add(new Named(name, t));
            } else if (audio == null) {
                audio = new Named(t.label() != null ? t.label() : AUDIO, t);
            } else {
                log.info("Audio track {} is not packaged: only the first audio track is", t.trackId());
            }
        }
        List<Named> all = new ArrayList<>(videos);
        if (audio != null) {
            all.add(audio);
        }
        Set<String> names = new HashSet<>();
        for (Named n : all) {
            if (!names.add(n.name())) {
                throw new IllegalArgumentException("two tracks would both be packaged as '" + n.name()
                        + "'; track labels must be unique (an unlabelled track is named video, video_<id> or audio): "
                        + tracks);
            }
        }
        return all;
    }
}
