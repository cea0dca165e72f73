package io.estuary.packager.cmaf;

import java.util.ArrayList;
import java.util.List;

/** Records what a segmenter says, in order. */
final class RecordingListener implements SegmenterListener {

    record Start(PackagedTrack track, byte[] init) {
    }

    final List<Object> events = new ArrayList<>();
    final List<Start> starts = new ArrayList<>();
    final List<CmafPart> parts = new ArrayList<>();
    boolean ended;

    @Override
    public void onTrackStart(PackagedTrack track, byte[] initSegment) {
        if (ended) {
            throw new AssertionError("call after onSessionEnd");
        }
        Start s = new Start(track, initSegment);
        starts.add(s);
        events.add(s);
    }

    @Override
    public void onPart(CmafPart part) {
        if (ended) {
            throw new AssertionError("call after onSessionEnd");
        }
        parts.add(part);
        events.add(part);
    }

    @Override
    public void onSessionEnd() {
        ended = true;
        events.add("end");
    }

    List<CmafPart> parts(String name) {
        return parts.stream().filter(p -> p.track().name().equals(name)).toList();
    }
}
