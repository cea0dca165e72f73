package io.estuary.server.api;

import io.estuary.media.router.StreamKey;
import io.estuary.protocols.whip.WhipSessionInfo;
import io.estuary.transcoder.TranscodeStats;
import java.util.Optional;
import java.util.function.Function;

/**
 * What other parts of the server know of a live stream, for its API view. A lookup is empty where it does not
 * apply: an RTMP publisher has no WHIP session, a stream packaged as published has no transcoder.
 *
 * @param whip       the stream's WHIP session, for the publisher's {@code webrtc} details
 * @param transcoder the stream's transcoder, for its {@code transcoder} details (renditions, speed, shedding)
 */
public record StreamDetails(Function<StreamKey, Optional<WhipSessionInfo>> whip,
        Function<StreamKey, Optional<TranscodeStats>> transcoder) {

    /** No WHIP, no transcoder. */
    public static final StreamDetails NONE = new StreamDetails(key -> Optional.empty(), key -> Optional.empty());
}
