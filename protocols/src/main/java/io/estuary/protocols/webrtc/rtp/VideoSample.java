package io.estuary.protocols.webrtc.rtp;

import io.estuary.media.frame.AvcConfig;

/**
 * One H.264 picture ready for a {@code MediaFrame}: 4-byte length-prefixed NAL units without SPS, PPS or AUD.
 *
 * @param newConfig non-null on the first keyframe and whenever the parameter sets changed; null otherwise
 */
public record VideoSample(long rtpTimestamp, byte[] data, boolean keyframe, AvcConfig newConfig) {
}
