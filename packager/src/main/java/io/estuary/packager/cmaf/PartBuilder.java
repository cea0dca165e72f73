package io.estuary.packager.cmaf;

import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.OpusConfig;
import io.estuary.packager.drm.SampleEncryptor;
import java.util.ArrayList;
import java.util.List;

/** The samples of one open part of one track, collected until the segmenter cuts. */
final class PartBuilder {

    private final List<CmafSample> samples = new ArrayList<>();
    private final long baseDts;
    private final long firstPts;
    private final long firstWallClockMillis;
    private final long firstReceivedNanos;
    private final boolean independent;
    private long duration;
    private long bytes;

    PartBuilder(MediaFrame first) {
        this.baseDts = first.dts();
        this.firstPts = first.pts();
        this.firstWallClockMillis = first.wallClockMillis();
        this.firstReceivedNanos = first.receivedNanos();
        this.independent = first.keyframe();
    }

    void add(MediaFrame frame, long sampleDuration) {
        samples.add(new CmafSample(frame.data(), sampleDuration, frame.compositionOffset(), frame.keyframe()));
        duration += sampleDuration;
        bytes += frame.size();
    }

    int sampleCount() {
        return samples.size();
    }

    long bytes() {
        return bytes;
    }

    long duration() {
        return duration;
    }

    /** Writes the part, its samples encrypted by {@code encryptor} ({@code null}: clear). */
    CmafPart build(PackagedTrack track, long sequenceNumber, boolean endsSegment, long segmentIndex,
            SampleEncryptor encryptor) {
        boolean rollGroup = track.info().config() instanceof OpusConfig;
        byte[] chunk = CmafFragmentWriter.write(sequenceNumber, baseDts, samples, encryptor, rollGroup);
        return new CmafPart(track, chunk, baseDts, firstPts, duration, samples.size(), independent, endsSegment,
                firstWallClockMillis, firstReceivedNanos, segmentIndex);
    }
}
