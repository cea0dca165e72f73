package io.estuary.packager.cmaf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.TrackInfo;
import io.estuary.packager.PackagerConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * An ABR ladder through the segmenter: a lead rendition (with B-frames), three more renditions and AAC, 30 fps
 * with a keyframe every 2 s, frames of the same instant with the same decode time on every rendition.
 */
class SegmenterRenditionsTest {

    static final long FRAME = SegmenterTest.FRAME;
    static final int GOP = 60;
    static final List<String> VIDEOS = List.of("source", "720p", "480p", "360p");
    static final List<TrackInfo> TRACKS = List.of(
            SegmenterTest.VIDEO.withLabel("source"),
            SegmenterTest.VIDEO.withTrackId(2).withLabel("720p"),
            SegmenterTest.VIDEO.withTrackId(3).withLabel("480p"),
            SegmenterTest.VIDEO.withTrackId(4).withLabel("360p"),
            SegmenterTest.AUDIO.withTrackId(5));

    final RecordingListener listener = new RecordingListener();
    final Segmenter segmenter = new Segmenter(PackagerConfig.defaults(), listener, () -> 1_700_000_000_000L);

    /** Frame {@code index} of rendition {@code trackId}: a B-frame stream's offsets, sizes that tell tracks apart. */
    static MediaFrame video(int trackId, long index) {
        int cto = index % GOP == 0 ? (int) FRAME : (int) (FRAME * (index % 3));
        return new MediaFrame(trackId, MediaType.VIDEO, index * FRAME, cto, index % GOP == 0,
                new byte[40 * trackId + (int) (index % 7)], 1000 + index, 7 * index);
    }

    static MediaFrame audio(long index) {
        return new MediaFrame(5, MediaType.AUDIO, index * SegmenterTest.AAC, 0, true, new byte[10], 2000 + index,
                9 * index);
    }

    /**
     * Every track's frames in time order for {@code frames} video frames; rendition {@code t}'s frame {@code i} is
     * sent only if {@code sends.get(t).test(i)}.
     */
    static List<MediaFrame> byTime(int frames, Map<Integer, IntPredicate> sends) {
        List<MediaFrame> all = new ArrayList<>();
        for (int t = 1; t <= 4; t++) {
            for (int i = 0; i < frames; i++) {
                if (sends.getOrDefault(t, x -> true).test(i)) {
                    all.add(video(t, i));
                }
            }
        }
        long audioFrames = frames * FRAME * 48_000 / 90_000 / SegmenterTest.AAC;
        for (int i = 0; i < audioFrames; i++) {
            all.add(audio(i));
        }
        all.sort(Comparator.comparingDouble(f -> f.type() == MediaType.VIDEO ? f.dts() / 90.0 : f.dts() / 48.0));
        return all;
    }

    /**
     * The same frames in another arrival order: each frame moves up to {@code window} places, while every track's
     * own frames keep their order (a track's decode time only advances).
     */
    static List<MediaFrame> shuffled(List<MediaFrame> frames, int window, long seed) {
        Random random = new Random(seed);
        Integer[] order = new Integer[frames.size()];
        double[] key = new double[frames.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            key[i] = i + random.nextDouble() * window;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> key[i]));
        // the slots each track gets in the new order, filled with that track's frames in their own order
        Map<Integer, List<MediaFrame>> perTrack = new HashMap<>();
        for (MediaFrame f : frames) {
            perTrack.computeIfAbsent(f.trackId(), k -> new ArrayList<>()).add(f);
        }
        Map<Integer, Integer> next = new HashMap<>();
        List<MediaFrame> out = new ArrayList<>(frames.size());
        for (Integer i : order) {
            int track = frames.get(i).trackId();
            int n = next.merge(track, 1, Integer::sum) - 1;
            out.add(perTrack.get(track).get(n));
        }
        return out;
    }

    List<CmafPart> run(List<MediaFrame> frames) {
        RecordingListener l = new RecordingListener();
        Segmenter s = new Segmenter(PackagerConfig.defaults(), l, () -> 1_700_000_000_000L);
        s.onTracks(TRACKS);
        frames.forEach(s::onFrame);
        s.onEnd();
        return l.parts;
    }

    /** A track's parts by segment index, in order. */
    static TreeMap<Long, List<CmafPart>> segments(List<CmafPart> parts) {
        TreeMap<Long, List<CmafPart>> out = new TreeMap<>();
        for (CmafPart p : parts) {
            out.computeIfAbsent(p.segmentIndex(), k -> new ArrayList<>()).add(p);
        }
        return out;
    }

    /** What a player sees of a part, without the epoch (which differs between runs). */
    static String describe(CmafPart p) {
        return p.track().name() + " seg " + p.segmentIndex() + " tfdt " + p.baseMediaDecodeTime() + " d "
                + p.duration() + " n " + p.sampleCount() + (p.endsSegment() ? " end" : "") + " #"
                + Arrays.hashCode(p.bytes());
    }

    static List<String> describePerTrack(List<CmafPart> parts) {
        List<String> out = new ArrayList<>();
        for (String name : List.of("source", "720p", "480p", "360p", "audio")) {
            parts.stream().filter(p -> p.track().name().equals(name)).map(SegmenterRenditionsTest::describe)
                    .forEach(out::add);
        }
        return out;
    }

    /** Segment N of every rendition starts at one decode time; a following one also at one with a keyframe. */
    static void assertSegmentsAligned(List<CmafPart> parts, String follower, boolean partsToo) {
        TreeMap<Long, List<CmafPart>> lead = segments(parts.stream()
                .filter(p -> p.track().name().equals("source")).toList());
        TreeMap<Long, List<CmafPart>> other = segments(parts.stream()
                .filter(p -> p.track().name().equals(follower)).toList());
        assertFalse(other.isEmpty(), follower + " has segments");
        for (Map.Entry<Long, List<CmafPart>> e : other.entrySet()) {
            List<CmafPart> mine = e.getValue();
            List<CmafPart> leads = lead.get(e.getKey());
            String where = follower + " segment " + e.getKey();
            assertTrue(leads != null, where + " has a lead segment");
            assertEquals(leads.get(0).baseMediaDecodeTime(), mine.get(0).baseMediaDecodeTime(), where + " start");
            assertTrue(mine.get(0).independent(), where + " starts with a keyframe");
            if (partsToo) {
                assertEquals(leads.size(), mine.size(), where + " parts");
                for (int i = 0; i < mine.size(); i++) {
                    assertEquals(leads.get(i).baseMediaDecodeTime(), mine.get(i).baseMediaDecodeTime(),
                            where + " part " + i);
                    assertEquals(leads.get(i).endsSegment(), mine.get(i).endsSegment(), where + " part " + i);
                }
            }
        }
    }

    @Test
    void everyRenditionIsCutWhereTheLeadIsCut() {
        segmenter.onTracks(TRACKS);
        byTime(300, Map.of()).forEach(segmenter::onFrame);
        segmenter.onEnd();
        assertEquals(List.of("source", "720p", "480p", "360p", "audio"),
                listener.starts.stream().map(s -> s.track().name()).toList());
        for (String name : VIDEOS) {
            assertEquals(300, listener.parts(name).stream().mapToInt(CmafPart::sampleCount).sum(), name);
            SegmenterTest.assertContinuous(listener.parts(name));
            assertEquals(List.of(2.0, 2.0, 2.0, 2.0, 2.0), SegmenterTest.segmentDurations(listener.parts(name)));
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L), List.copyOf(segments(listener.parts(name)).keySet()));
        }
        for (String name : VIDEOS.subList(1, 4)) {
            assertSegmentsAligned(listener.parts, name, true);
            // the same media time: the same duration part by part
            assertEquals(listener.parts("source").stream().map(CmafPart::duration).toList(),
                    listener.parts(name).stream().map(CmafPart::duration).toList(), name);
        }
        assertEquals(listener.parts("source").stream().map(CmafPart::segmentIndex).toList(),
                listener.parts("audio").stream().map(CmafPart::segmentIndex).toList());
        assertEquals(0, segmenter.droppedFrames());
        assertEquals(0, segmenter.segmentsWithoutKeyframe());
    }

    @Test
    void theArrivalOrderDoesNotChangeTheOutput() {
        List<MediaFrame> frames = byTime(300, Map.of());
        List<String> expected = describePerTrack(run(frames));
        for (long seed = 1; seed <= 5; seed++) {
            List<MediaFrame> other = shuffled(frames, 10, seed);
            assertNotEquals(frames, other);
            assertEquals(expected, describePerTrack(run(other)), "seed " + seed);
        }
    }

    @Test
    void aLaggingRenditionHoldsNobodyBackAndEndsTheSame() {
        List<MediaFrame> frames = byTime(300, Map.of());
        List<String> expected = describePerTrack(run(frames));
        // 480p arrives 1.5 s (45 frames' worth of every track) late
        List<MediaFrame> late = new ArrayList<>(frames.stream().filter(f -> f.trackId() != 3).toList());
        List<MediaFrame> lagging = frames.stream().filter(f -> f.trackId() == 3).toList();
        List<MediaFrame> arrival = new ArrayList<>();
        int j = 0;
        for (int i = 0; i < late.size(); i++) {
            arrival.add(late.get(i));
            while (j < lagging.size() && lagging.get(j).dts() + 45 * FRAME <= late.get(i).dts() * (
                    late.get(i).type() == MediaType.VIDEO ? 1 : 90_000 / 48_000.0)) {
                arrival.add(lagging.get(j++));
            }
        }
        arrival.addAll(lagging.subList(j, lagging.size()));
        RecordingListener l = new RecordingListener();
        Segmenter s = new Segmenter(PackagerConfig.defaults(), l, () -> 1_700_000_000_000L);
        s.onTracks(TRACKS);
        int leadPartsBefore480 = -1;
        for (MediaFrame f : arrival) {
            if (f.trackId() == 3 && leadPartsBefore480 < 0) {
                leadPartsBefore480 = l.parts("source").size();
            }
            s.onFrame(f);
        }
        s.onEnd();
        assertTrue(leadPartsBefore480 >= 3, "the lead went on without 480p: " + leadPartsBefore480 + " parts");
        assertEquals(expected, describePerTrack(l.parts));
    }

    @Test
    void aRenditionSheddingEveryOtherFrameStaysAligned() {
        // 720p drops every odd frame from 2 s to 4 s: its keyframes (even) survive
        List<MediaFrame> frames = byTime(300, Map.of(2, i -> i < 60 || i >= 120 || i % 2 == 0));
        segmenter.onTracks(TRACKS);
        shuffled(frames, 10, 42).forEach(segmenter::onFrame);
        segmenter.onEnd();
        assertSegmentsAligned(listener.parts, "720p", false);
        assertEquals(segments(listener.parts("source")).keySet(), segments(listener.parts("720p")).keySet());
        assertEquals(270, listener.parts("720p").stream().mapToInt(CmafPart::sampleCount).sum());
        SegmenterTest.assertContinuous(listener.parts("720p"));
        assertEquals(SegmenterTest.segmentDurations(listener.parts("source")),
                SegmenterTest.segmentDurations(listener.parts("720p")));
        assertSegmentsAligned(listener.parts, "480p", true);
        assertEquals(0, segmenter.segmentsWithoutKeyframe());
    }

    @Test
    void aSegmentWhoseKeyframeWasShedIsStillCutAtTheLeadsBoundary() {
        // 360p loses its keyframe at 4 s (frame 120)
        segmenter.onTracks(TRACKS);
        byTime(300, Map.of(4, i -> i != 120)).forEach(segmenter::onFrame);
        segmenter.onEnd();
        TreeMap<Long, List<CmafPart>> mine = segments(listener.parts("360p"));
        TreeMap<Long, List<CmafPart>> lead = segments(listener.parts("source"));
        assertEquals(lead.keySet(), mine.keySet(), "no segment lost, none merged");
        CmafPart third = mine.get(2L).get(0);
        assertFalse(third.independent());
        assertEquals(121 * FRAME, third.baseMediaDecodeTime(), "starts with the frame after the lost keyframe");
        assertEquals(1, segmenter.segmentsWithoutKeyframe());
        for (long n : List.of(0L, 1L, 3L, 4L)) {
            assertEquals(lead.get(n).get(0).baseMediaDecodeTime(), mine.get(n).get(0).baseMediaDecodeTime());
        }
    }

    @Test
    void aRenditionSilentForFiveSecondsResumesAligned() {
        // 480p sends nothing from 2.33 s to 7.33 s
        segmenter.onTracks(TRACKS);
        shuffled(byTime(450, Map.of(3, i -> i < 70 || i >= 220)), 10, 7).forEach(segmenter::onFrame);
        segmenter.onEnd();
        assertSegmentsAligned(listener.parts, "480p", false);
        TreeMap<Long, List<CmafPart>> mine = segments(listener.parts("480p"));
        // segment 1 has what came before the silence, 2 and 3 nothing; from segment 4 (8 s) on it follows again
        assertEquals(List.of(0L, 1L, 4L, 5L, 6L, 7L), List.copyOf(mine.keySet()));
        assertEquals(10, mine.get(1L).stream().mapToInt(CmafPart::sampleCount).sum());
        CmafPart lastBefore = mine.get(1L).get(mine.get(1L).size() - 1);
        assertEquals(74 * FRAME, lastBefore.baseMediaDecodeTime() + lastBefore.duration(),
                "its last sample lasts until the lead's cut");
        assertEquals(segments(listener.parts("source")).get(4L).size(), mine.get(4L).size());
        // frames 220..239 come before its next keyframe, at the lead's boundary at 240: they cannot start a segment
        assertEquals(20, segmenter.droppedFrames());
        assertEquals(210, mine.get(4L).stream().mapToInt(CmafPart::sampleCount).sum()
                + mine.get(5L).stream().mapToInt(CmafPart::sampleCount).sum()
                + mine.get(6L).stream().mapToInt(CmafPart::sampleCount).sum()
                + mine.get(7L).stream().mapToInt(CmafPart::sampleCount).sum());
        // nobody else noticed
        assertSegmentsAligned(listener.parts, "720p", true);
        assertSegmentsAligned(listener.parts, "360p", true);
        assertEquals(450, listener.parts("source").stream().mapToInt(CmafPart::sampleCount).sum());
    }

    @Test
    void aRenditionThatNeverSendsIsBounded() {
        segmenter.onTracks(TRACKS);
        VideoFollower silent = segmenter.followers().get(2);
        assertEquals("360p", silent.track.packaged.name());
        int maxCuts = 0;
        for (MediaFrame f : byTime(1800, Map.of(4, i -> false))) { // 60 s
            segmenter.onFrame(f);
            maxCuts = Math.max(maxCuts, silent.pendingCuts());
        }
        assertTrue(maxCuts <= Segmenter.MAX_PENDING_CUTS, "pending cuts " + maxCuts);
        assertEquals(0, silent.queuedFrames());
        segmenter.onEnd();
        assertTrue(listener.parts("360p").isEmpty());
        assertEquals(30, segments(listener.parts("480p")).size());
        assertSegmentsAligned(listener.parts, "480p", true);
    }

    @Test
    void aStalledLeadBoundsTheOthersQueues() {
        segmenter.onTracks(TRACKS);
        // the lead stops after 2 s while the others go on for 20 s
        for (MediaFrame f : byTime(600, Map.of(1, i -> i < 60))) {
            segmenter.onFrame(f);
            for (VideoFollower v : segmenter.followers()) {
                assertTrue(v.queuedFrames() <= 2 * GOP + 1, v.track.packaged.name() + " " + v.queuedFrames());
            }
        }
        segmenter.onEnd();
        assertTrue(segmenter.droppedFrames() > 3 * 400, "dropped and counted: " + segmenter.droppedFrames());
    }

    @Test
    void aNewTrackListStartsNewEpochsAndSequencesContinuePerName() {
        segmenter.onTracks(TRACKS.subList(0, 2));
        byTime(90, Map.of()).stream().filter(f -> f.trackId() <= 2).forEach(segmenter::onFrame);
        segmenter.onTracks(TRACKS);
        int sourceParts = listener.parts("source").size();
        assertEquals(7, listener.starts.size());
        assertTrue(listener.parts("source").get(sourceParts - 1).endsSegment(), "flushed");
        assertTrue(listener.parts("720p").get(listener.parts("720p").size() - 1).endsSegment(), "flushed");
        for (int i = 90; i < 180; i++) {
            for (int t = 1; t <= 4; t++) {
                segmenter.onFrame(video(t, i));
            }
        }
        segmenter.onEnd();
        CmafPart firstNew = listener.parts("source").get(sourceParts);
        assertNotEquals(listener.parts("source").get(0).track().epoch(), firstNew.track().epoch());
        assertEquals(0, firstNew.segmentIndex(), "a new epoch counts its segments from 0");
        assertEquals(sourceParts + 1, java.nio.ByteBuffer.wrap(firstNew.bytes()).getInt(20), "mfhd continues");
        int p720 = (int) listener.parts("720p").stream().filter(p -> p.track().epoch().equals(
                listener.parts("720p").get(0).track().epoch())).count();
        assertEquals(p720 + 1, java.nio.ByteBuffer.wrap(listener.parts("720p").get(p720).bytes()).getInt(20));
        assertEquals(1, java.nio.ByteBuffer.wrap(listener.parts("480p").get(0).bytes()).getInt(20));
        List<String> newEpochs = listener.starts.subList(2, 7).stream().map(st -> st.track().epoch()).toList();
        List<CmafPart> newParts = listener.parts.stream().filter(p -> newEpochs.contains(p.track().epoch()))
                .toList();
        assertSegmentsAligned(newParts, "720p", true);
        assertSegmentsAligned(newParts, "480p", true);
    }
}
