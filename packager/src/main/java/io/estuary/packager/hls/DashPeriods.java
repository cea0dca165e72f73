package io.estuary.packager.hls;

import io.estuary.packager.cmaf.CmafPart;
import io.estuary.packager.cmaf.PackagedTrack;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The DASH Periods of one stream. Every publish session, and every codec change within one, starts new epochs for
 * all tracks at once (new init segments, new media URLs): that is a new Period. A Period is anchored by its first
 * part: the wall clock at ingest of that part's first frame is the Period's start, and that frame's decode time is
 * media time zero (so no track starts before the Period). The first Period ever anchored sets the stream's
 * availabilityStartTime; later Periods start where the wall clock says, and never before the previous one's media
 * ends, so Periods never overlap. Touched only on the stream's executor.
 */
final class DashPeriods {

    /** What the MPD needs of one Period, immutable. */
    record View(String id, Map<String, String> epochs, Map<String, Long> compositionOffsets, long startMillis,
            long originTicks, int originTimescale, boolean ended) {

        /** The Period's start in ticks of {@code timescale}. */
        long origin(int timescale) {
            return Math.floorDiv(originTicks * timescale, originTimescale);
        }
    }

    private static final class Period {
        final String id;
        final Map<String, String> epochs = new LinkedHashMap<>();
        /** Per track, its first sample's presentation minus decode time: a segment starts at decode time + this. */
        final Map<String, Long> compositionOffsets = new LinkedHashMap<>();
        boolean ended;
        boolean anchored;
        long startMillis;
        long originTicks;
        int originTimescale = 1;
        /** Media time from the Period's start to the end of its latest part, in milliseconds. */
        long mediaEndMillis;

        Period(String id) {
            this.id = id;
        }

        View view() {
            // in the order the tracks started: the MPD lists Representations (renditions) in track order
            return new View(id, Collections.unmodifiableMap(new LinkedHashMap<>(epochs)),
                    Map.copyOf(compositionOffsets), startMillis, originTicks, originTimescale, ended);
        }
    }

    private final ArrayDeque<Period> periods = new ArrayDeque<>();
    private long availabilityStartMillis = -1;

    /** A track starts an epoch: it joins the current Period, or opens a new one if it is already in it. */
    void trackStarted(PackagedTrack track) {
        Period current = periods.peekLast();
        if (current == null || current.ended || current.epochs.containsKey(track.name())) {
            current = new Period("p" + track.epoch());
            periods.addLast(current);
        }
        current.epochs.put(track.name(), track.epoch());
    }

    /** A part was made: the first of a Period anchors it; every part moves the Period's media end. */
    void part(CmafPart part) {
        Period p = periodOf(part.track());
        if (p == null) {
            return;
        }
        int timescale = part.track().info().timescale();
        if (!p.anchored) {
            p.anchored = true;
            p.originTicks = part.baseMediaDecodeTime();
            p.originTimescale = timescale;
            long wall = part.firstFrameWallClockMillis();
            if (availabilityStartMillis < 0) {
                availabilityStartMillis = wall;
            }
            long start = wall - availabilityStartMillis;
            Period previous = previous(p);
            if (previous != null && previous.anchored) {
                start = Math.max(start, previous.startMillis + previous.mediaEndMillis);
            }
            p.startMillis = Math.max(0, start);
        }
        String name = part.track().name();
        p.compositionOffsets.putIfAbsent(name, part.presentationTime() - part.baseMediaDecodeTime());
        long origin = Math.floorDiv(p.originTicks * timescale, p.originTimescale);
        long end = part.baseMediaDecodeTime() + part.duration() - origin;
        p.mediaEndMillis = Math.max(p.mediaEndMillis, end * 1000 / timescale);
    }

    void sessionEnded() {
        Period current = periods.peekLast();
        if (current != null) {
            current.ended = true;
        }
    }

    /** Forgets Periods none of whose epochs is still served, except the latest. */
    void retainEpochs(Set<String> epochsInWindow) {
        while (periods.size() > 1) {
            Period oldest = periods.peekFirst();
            if (oldest.epochs.values().stream().anyMatch(epochsInWindow::contains)) {
                return;
            }
            periods.pollFirst();
        }
    }

    /** Anchored Periods, oldest first. */
    List<View> views() {
        List<View> all = new ArrayList<>(periods.size());
        for (Period p : periods) {
            if (p.anchored) {
                all.add(p.view());
            }
        }
        return all;
    }

    long availabilityStartMillis() {
        return availabilityStartMillis;
    }

    private Period periodOf(PackagedTrack track) {
        for (var it = periods.descendingIterator(); it.hasNext(); ) {
            Period p = it.next();
            if (track.epoch().equals(p.epochs.get(track.name()))) {
                return p;
            }
        }
        return null;
    }

    private Period previous(Period p) {
        Period before = null;
        for (Period q : periods) {
            if (q == p) {
                return before;
            }
            before = q;
        }
        return null;
    }
}
