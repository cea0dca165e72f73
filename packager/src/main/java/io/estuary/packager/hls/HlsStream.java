package io.estuary.packager.hls;

import io.estuary.media.router.StreamKey;
import io.estuary.packager.PackagerConfig;
import io.estuary.packager.cmaf.CmafPart;
import io.estuary.packager.cmaf.PackagedTrack;
import io.estuary.packager.cmaf.SegmenterListener;
import io.estuary.packager.dash.DashConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LL-HLS side of one stream ({@code /live/{name}/}), alive across publish sessions: a republish continues the
 * media sequence of each track, in a new epoch after a discontinuity.
 *
 * <p>Threading: the {@link SegmenterListener} methods run on the stream's executor and are the only writers; after
 * each they publish an immutable {@link StreamSnapshot} and complete the waiting requests it answers. The HTTP
 * methods are thread-safe and never block: they answer from the current snapshot, or return a future completed
 * later from the executor (in a narrow race, by the requesting thread itself). The server bounds waiting with its
 * own timeout ({@code orTimeout}); a future completed that way leaves the waiters at once.
 *
 * <p>Waiting requests are bounded per track ({@value #DEFAULT_MAX_WAITERS}); over the bound a request is answered
 * {@link Status#BAD_REQUEST} with a message starting {@value #OVERLOADED}. Media objects are served as
 * {@code video/mp4} or {@code audio/mp4} by track type, parts included.
 */
public final class HlsStream implements SegmenterListener {

    private static final Logger log = LoggerFactory.getLogger(HlsStream.class);

    public static final int DEFAULT_MAX_WAITERS = 10_000;
    public static final String OVERLOADED = "too many waiting requests";
    private static final String MULTIVARIANT_KEY = "";
    /** Not a track name (those are lower-case letters, digits and '_'): its own waiters. */
    private static final String MPD_KEY = "#mpd";

    private final StreamKey key;
    private final PackagerConfig config;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final int maxWaiters;
    private final LatencyStats partLatency = new LatencyStats();
    private final LongConsumer latencyObserver;
    private final AtomicLong sessionIds = new AtomicLong();

    // executor-only state
    private final Map<String, TrackState> tracks = new LinkedHashMap<>();
    private final DashPeriods dashPeriods = new DashPeriods();
    private DashManifest dash;
    private long session;
    private long currentSessionId;
    private long heldBytes;

    // read by any thread
    private volatile StreamSnapshot snapshot = StreamSnapshot.EMPTY;
    private volatile boolean live;
    private volatile long partsProduced;
    private volatile long segmentsProduced;
    private volatile long windowBytes;
    private volatile long idleSinceMillis;
    private final Map<String, Waiters> waiters = new java.util.concurrent.ConcurrentHashMap<>();

    public HlsStream(StreamKey key, PackagerConfig config, Clock clock) {
        this(key, config, clock, nanos -> { });
    }

    /** @param latencyObserver told each part's ingest-to-available latency, in nanoseconds (for metrics) */
    public HlsStream(StreamKey key, PackagerConfig config, Clock clock, LongConsumer latencyObserver) {
        this(key, config, clock, System::nanoTime, DEFAULT_MAX_WAITERS, latencyObserver);
    }

    HlsStream(StreamKey key, PackagerConfig config, Clock clock, LongSupplier nanoTime, int maxWaitersPerTrack) {
        this(key, config, clock, nanoTime, maxWaitersPerTrack, nanos -> { });
    }

    private HlsStream(StreamKey key, PackagerConfig config, Clock clock, LongSupplier nanoTime,
            int maxWaitersPerTrack, LongConsumer latencyObserver) {
        this.latencyObserver = Objects.requireNonNull(latencyObserver, "latencyObserver");
        this.key = Objects.requireNonNull(key, "key");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nanoTime = nanoTime;
        this.maxWaiters = maxWaitersPerTrack;
        this.idleSinceMillis = clock.millis();
    }

    public StreamKey key() {
        return key;
    }

    // ---- SegmenterListener: the stream's executor only ----

    /**
     * What one publish session's segmenter calls. After a takeover the old session's last events (its flushed
     * parts, its end) can reach the stream's executor after the new session's first ones: they come through
     * another subscriber queue. Sessions are numbered as they open, so the first event of a newer session ends
     * the older one (as {@link #onSessionEnd} would), and whatever the older one sends later is ignored.
     * Any thread may open a session.
     */
    public SegmenterListener openSession() {
        long id = sessionIds.incrementAndGet();
        return new SegmenterListener() {
            @Override
            public void onTrackStart(PackagedTrack track, byte[] initSegment) {
                if (admit(id)) {
                    HlsStream.this.onTrackStart(track, initSegment);
                }
            }

            @Override
            public void onPart(CmafPart part) {
                if (admit(id)) {
                    HlsStream.this.onPart(part);
                }
            }

            @Override
            public void onSessionEnd() {
                if (admit(id)) {
                    HlsStream.this.onSessionEnd();
                }
            }
        };
    }

    /** Whether an event of session {@code id} still counts; a newer session's first event ends the current one. */
    private boolean admit(long id) {
        if (id < currentSessionId) {
            log.debug("{}: event of replaced session {} ignored (session {} is current)", key, id, currentSessionId);
            return false;
        }
        if (id > currentSessionId) {
            if (live) {
                onSessionEnd();
            }
            currentSessionId = id;
        }
        return true;
    }

    @Override
    public void onTrackStart(PackagedTrack track, byte[] initSegment) {
        if (!live) {
            session++;
            live = true;
            idleSinceMillis = -1;
        }
        TrackState state = tracks.get(track.name());
        if (state == null) {
            state = new TrackState(track.name(), initialTargetDuration());
            joinSiblings(state);
            tracks.put(track.name(), state);
        }
        if (state.track == null || !state.track.epoch().equals(track.epoch())) {
            dashPeriods.trackStarted(track);
        }
        state.start(track, initSegment, session);
        enforceByteBound();
        publish();
    }

    @Override
    public void onPart(CmafPart part) {
        TrackState state = tracks.get(part.track().name());
        if (state == null || state.track == null || !state.track.epoch().equals(part.track().epoch())) {
            log.warn("{}: part of {} epoch {} without onTrackStart; dropped", key, part.track().name(),
                    part.track().epoch());
            return;
        }
        long latency = nanoTime.getAsLong() - part.firstFrameReceivedNanos();
        partLatency.add(latency);
        latencyObserver.accept(latency);
        partsProduced++;
        dashPeriods.part(part);
        if (part.endsSegment()) {
            segmentsProduced++;
        }
        heldBytes += state.add(part);
        while (state.completed.size() > config.windowSegments()) {
            heldBytes -= state.evictOldest(config.windowSegments());
        }
        enforceByteBound();
        state.pruneInits();
        publish();
    }

    @Override
    public void onSessionEnd() {
        for (TrackState state : tracks.values()) {
            state.closeOpen();
        }
        enforceByteBound();
        dashPeriods.sessionEnded();
        live = false;
        idleSinceMillis = clock.millis();
        publish();
    }

    // ---- HTTP side: any thread, never blocking ----

    /** {@code index.m3u8}; waits until every track of the latest session has a part. */
    public CompletableFuture<HlsResponse> multivariantPlaylist() {
        return await(MULTIVARIANT_KEY, s -> s.multivariant() == null
                ? null
                : HlsResponse.playlist(s.multivariant(), false));
    }

    /**
     * {@code {trackName}.m3u8}, with the query's delivery directives. Unknown track: NOT_FOUND. A track without a
     * part yet: waits for its first. {@code _HLS_msn} too far ahead: BAD_REQUEST at once.
     */
    public CompletableFuture<HlsResponse> mediaPlaylist(String trackName, PlaylistQuery query) {
        PlaylistQuery q = query == null ? PlaylistQuery.NONE : query;
        TrackSnapshot t = snapshot.tracks().get(trackName);
        if (t == null) {
            return CompletableFuture.completedFuture(HlsResponse.notFound("no track " + trackName));
        }
        if (q.msn() != null && t.hasParts()) {
            String refusal = t.tooFarAhead(q.msn(), q.part());
            if (refusal != null) {
                return CompletableFuture.completedFuture(HlsResponse.badRequest(refusal));
            }
        }
        // Only a request naming an MSN is complete for its URL; _HLS_skip alone is today's playlist, delta-encoded.
        boolean blocking = q.msn() != null;
        return await(trackName, s -> {
            TrackSnapshot now = s.tracks().get(trackName);
            return now != null && now.satisfies(q.msn(), q.part())
                    ? HlsResponse.playlist(now.playlist(q.skip()), blocking)
                    : null;
        });
    }

    /**
     * {@code {track}/{epoch}/init.mp4}, {@code {track}/{epoch}/{msn}.m4s}, {@code {track}/{epoch}/{msn}.{part}.m4s}.
     * The part named by the preload hint waits for it; anything else missing is NOT_FOUND at once.
     */
    public CompletableFuture<HlsResponse> mediaObject(String path) {
        ObjectPath p = ObjectPath.parse(path);
        if (p == null) {
            return CompletableFuture.completedFuture(HlsResponse.notFound("not a media object: " + path));
        }
        StreamSnapshot s = snapshot;
        HlsResponse now = objectAnswer(s, p);
        if (now != null) {
            return CompletableFuture.completedFuture(now);
        }
        return await(p.track(), next -> objectAnswer(next, p));
    }

    /**
     * {@code manifest.mpd}: the live MPD over the same segments, for DASH players; waits, as the multivariant
     * playlist does, until every track of the latest session has a part.
     *
     * @param origin the server's origin ({@code http://host:port}) as the requesting player reaches it
     */
    public CompletableFuture<HlsResponse> manifest(DashConfig dashConfig, String origin) {
        return await(MPD_KEY, s -> s.dash() == null
                ? null
                : HlsResponse.manifest(s.dash().render(dashConfig, origin)));
    }

    /**
     * A segment ({@code {track}/{epoch}/{msn}.m4s}) from its part {@code fromPart} on, for delivery chunk by chunk:
     * a DASH player asks for the segment being produced and reads it as its parts are made. Answers at once with
     * the parts there are beyond {@code fromPart}; waits while there are none and the segment is not complete (or
     * is the next one, not begun). A segment beyond that is NOT_FOUND, never cached; one gone from the window is
     * NOT_FOUND like any missing object.
     */
    public CompletableFuture<SegmentChunks> segmentChunks(String path, int fromPart) {
        ObjectPath p = ObjectPath.parse(path);
        if (p == null || p.kind() != ObjectPath.Kind.SEGMENT) {
            return CompletableFuture.completedFuture(
                    SegmentChunks.refused(HlsResponse.notFound("not a segment: " + path)));
        }
        return await(p.track(), s -> SegmentChunks.answer(s, p, fromPart),
                SegmentChunks.refused(HlsResponse.badRequest(OVERLOADED + " on " + key)));
    }

    /** A publish session is running. */
    public boolean isLive() {
        return live;
    }

    /** When the last session ended (or, before any, when this stream was made); -1 while live. */
    public long idleSinceMillis() {
        return idleSinceMillis;
    }

    /** Fails every waiting request with a {@link CancellationException} (shutdown, stream removal). */
    public void cancelWaiters() {
        CancellationException cause = new CancellationException("HLS stream " + key + " closed");
        for (Waiters w : waiters.values()) {
            w.failAll(cause);
        }
    }

    /** Ingest-to-part-available latency: nanoTime at {@link #onPart} minus the part's first frame's arrival. */
    public LatencyStats partLatency() {
        return partLatency;
    }

    /** Parts made so far, all tracks together. */
    public long partsProduced() {
        return partsProduced;
    }

    /** Segments completed so far, all tracks together. */
    public long segmentsProduced() {
        return segmentsProduced;
    }

    /** Media bytes held for the live window (listed and recently retired segments, inits). */
    public long windowBytes() {
        return windowBytes;
    }

    /** Requests waiting, all tracks together. */
    public int waiterCount() {
        int n = 0;
        for (Waiters w : waiters.values()) {
            n += w.size();
        }
        return n;
    }

    // ---- internals ----

    private static HlsResponse objectAnswer(StreamSnapshot s, ObjectPath p) {
        TrackSnapshot t = s.tracks().get(p.track());
        if (t == null) {
            return HlsResponse.notFound("no track " + p.track());
        }
        List<java.nio.ByteBuffer> chunks = t.object(p);
        if (chunks != null) {
            return HlsResponse.media(t.contentType(), chunks);
        }
        if (t.isHinted(p)) {
            return null;
        }
        return t.missing(p);
    }

    private CompletableFuture<HlsResponse> await(String waitersKey,
            java.util.function.Function<StreamSnapshot, HlsResponse> answer) {
        return await(waitersKey, answer, HlsResponse.badRequest(OVERLOADED + " on " + key));
    }

    /** Answers now, or registers a waiter answered by a later snapshot; {@code overloaded} over the bound. */
    private <T> CompletableFuture<T> await(String waitersKey, java.util.function.Function<StreamSnapshot, T> answer,
            T overloaded) {
        T now = answer.apply(snapshot);
        if (now != null) {
            return CompletableFuture.completedFuture(now);
        }
        CompletableFuture<T> future = new CompletableFuture<>();
        Waiters.Waiter<T> waiter = new Waiters.Waiter<>(future, answer);
        if (!waiters.computeIfAbsent(waitersKey, k -> new Waiters(maxWaiters)).add(waiter)) {
            return CompletableFuture.completedFuture(overloaded);
        }
        // The executor may have published between our look and our registration: look again.
        T raced = answer.apply(snapshot);
        if (raced != null) {
            future.complete(raced);
        }
        return future;
    }

    /**
     * A track name new to the stream (a rendition added to the ladder on a republish) continues the numbers of the
     * tracks already there: players switch renditions by media sequence number, and every track's segments start
     * their epoch at once, so the furthest track's next number is everyone's.
     */
    private void joinSiblings(TrackState joining) {
        TrackState furthest = null;
        for (TrackState t : tracks.values()) {
            if (furthest == null || t.nextMsn > furthest.nextMsn) {
                furthest = t;
            }
        }
        if (furthest != null) {
            joining.joinAt(furthest.nextMsn, furthest.discontinuitySequence);
        }
    }

    private int initialTargetDuration() {
        long millis = config.segmentTarget().toMillis();
        return (int) Math.max(1, (millis + 999) / 1000);
    }

    /**
     * While more than window-bytes are held: drops retired segments first, then evicts the oldest listed
     * segments, across tracks.
     */
    private void enforceByteBound() {
        for (TrackState t : tracks.values()) {
            while (heldBytes > config.windowBytes() && !t.retired.isEmpty()) {
                heldBytes -= t.dropOldestRetired();
            }
        }
        while (heldBytes > config.windowBytes()) {
            TrackState oldest = null;
            for (TrackState t : tracks.values()) {
                Segment first = t.completed.peekFirst();
                if (first != null && (oldest == null
                        || first.wallClockMillis() < oldest.completed.peekFirst().wallClockMillis())) {
                    oldest = t;
                }
            }
            if (oldest == null) {
                return; // only open segments left: they are never evicted
            }
            heldBytes -= oldest.evictOldest(config.windowSegments());
            heldBytes -= oldest.dropOldestRetired();
            oldest.pruneInits();
        }
    }

    /** The MPD of this window: the previous one while its content is the same, a new version otherwise. */
    private DashManifest dashManifest(Map<String, TrackSnapshot> byName, boolean ready) {
        java.util.Set<String> epochs = new java.util.HashSet<>();
        for (TrackState t : tracks.values()) {
            epochs.addAll(t.inits.keySet()); // every epoch still served has its init segment kept
        }
        dashPeriods.retainEpochs(epochs);
        io.estuary.packager.dash.Mpd mpd = DashModel.build(dashPeriods, byName, live, ready, config);
        if (mpd == null) {
            dash = null;
        } else if (dash == null || !dash.mpd.withPublishMillis(0).equals(mpd)) {
            dash = new DashManifest(mpd.withPublishMillis(clock.millis()));
        }
        return dash;
    }

    private void publish() {
        windowBytes = heldBytes;
        Map<String, TrackSnapshot> byName = new LinkedHashMap<>();
        List<TrackSnapshot> current = new ArrayList<>();
        for (TrackState t : tracks.values()) {
            List<TrackSnapshot.RenditionReport> reports = new ArrayList<>();
            for (TrackState other : tracks.values()) {
                long[] last = other.lastPart();
                if (other != t && other.session == session && last != null) {
                    reports.add(new TrackSnapshot.RenditionReport(other.name, last[0], (int) last[1]));
                }
            }
            TrackSnapshot ts = new TrackSnapshot(t.name, t.track, t.window(), List.copyOf(t.retired),
                    Map.copyOf(t.inits),
                    t.lastCompleteMsn, t.targetDuration, t.hint(live, session), List.copyOf(reports),
                    t.session == session, t.partsPerSegment(config), config);
            byName.put(t.name, ts);
            if (ts.current) {
                current.add(ts);
            }
        }
        String multivariant = MultivariantPlaylistWriter.write(current);
        StreamSnapshot s = new StreamSnapshot(Collections.unmodifiableMap(byName),
                multivariant == null ? null : new RenderedText(multivariant), live,
                dashManifest(byName, multivariant != null));
        snapshot = s;
        for (Waiters w : waiters.values()) {
            w.wake(s);
        }
    }
}
