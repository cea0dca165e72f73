package io.estuary.packager.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.TrackInfo;
import io.estuary.media.router.StreamKey;
import io.estuary.packager.PackagerConfig;
import io.estuary.packager.cmaf.Segmenter;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** An ABR ladder (three video renditions and AAC) through the playlists and the MPD. */
class RenditionsTest {

    static HlsFixture ladder() {
        HlsFixture f = new HlsFixture(HlsFixture.config(10, 256L << 20));
        f.start("e1", HlsFixture.LADDER.toArray(new TrackInfo[0]));
        // 200, 100 and 50 kbit/s of video, 8 kbit/s of audio
        f.trackPartBytes.putAll(Map.of("720p", 12_500, "480p", 6_250, "360p", 3_125, "audio", 500));
        return f;
    }

    @Test
    void theMultivariantPlaylistListsEveryRenditionInTrackOrderWithTheAudioGroup() {
        HlsFixture f = ladder();
        f.segments(2);
        assertEquals("""
                #EXTM3U
                #EXT-X-VERSION:9
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="audio",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio.m3u8"
                #EXT-X-STREAM-INF:BANDWIDTH=208000,AVERAGE-BANDWIDTH=208000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720,FRAME-RATE=29.970,AUDIO="audio"
                720p.m3u8
                #EXT-X-STREAM-INF:BANDWIDTH=108000,AVERAGE-BANDWIDTH=108000,CODECS="avc1.4d401e,mp4a.40.2",RESOLUTION=854x480,FRAME-RATE=29.970,AUDIO="audio"
                480p.m3u8
                #EXT-X-STREAM-INF:BANDWIDTH=58000,AVERAGE-BANDWIDTH=58000,CODECS="avc1.42c01e,mp4a.40.2",RESOLUTION=640x360,FRAME-RATE=29.970,AUDIO="audio"
                360p.m3u8
                """, f.stream.multivariantPlaylist().join().bodyText());
    }

    @Test
    void aRenditionThatNeverComesKeepsTheStreamWaitingOnlyUntilASegmentIsComplete() {
        HlsFixture f = ladder();
        f.tracks.removeIf(t -> t.name().equals("360p")); // started, but never a part
        f.part(false);
        assertFalse(f.stream.multivariantPlaylist().isDone(), "360p may still come");
        f.part(false);
        f.part(false);
        f.part(true);
        String text = f.stream.multivariantPlaylist().join().bodyText();
        assertTrue(text.contains("720p.m3u8\n") && text.contains("480p.m3u8\n"), text);
        assertFalse(text.contains("360p"), text);
    }

    @Test
    void everyMediaPlaylistReportsEverySibling() {
        HlsFixture f = ladder();
        f.segments(1);
        f.part(false);
        List<String> names = List.of("720p", "480p", "360p", "audio");
        for (String name : names) {
            List<String> reports = new ArrayList<>();
            for (String other : names) {
                if (!other.equals(name)) {
                    reports.add("#EXT-X-RENDITION-REPORT:URI=\"" + other + ".m3u8\",LAST-MSN=1,LAST-PART=0");
                }
            }
            String text = f.playlist(name);
            assertTrue(text.endsWith(String.join("\n", reports) + "\n"), text);
        }
    }

    @Test
    void theMpdPutsTheRenditionsInOneAlignedAdaptationSet() throws Exception {
        HlsFixture f = ladder();
        f.segments(2);
        f.part(false);
        String mpd = DashManifestTest.mpd(f);
        String video = mpd.substring(mpd.indexOf("    <AdaptationSet id=\"0\""),
                mpd.indexOf("    <AdaptationSet id=\"1\""));
        assertEquals("""
                    <AdaptationSet id="0" contentType="video" mimeType="video/mp4" maxWidth="1280" maxHeight="720" \
                maxFrameRate="30000/1001" segmentAlignment="true" startWithSAP="1">
                      <ProducerReferenceTime id="0" type="encoder" wallClockTime="2023-11-14T22:13:20.000Z" \
                presentationTime="0">
                        <UTCTiming schemeIdUri="urn:mpeg:dash:utc:http-xsdate:2014" value="http://example.test:8080/time"/>
                      </ProducerReferenceTime>
                      <Representation id="720p" codecs="avc1.64001f" bandwidth="200000" width="1280" height="720" \
                sar="1:1" frameRate="30000/1001">
                        <SegmentTemplate timescale="90000" presentationTimeOffset="0" startNumber="0" \
                initialization="720p/e1/init.mp4" media="720p/e1/$Number$.m4s" availabilityTimeOffset="1.5" \
                availabilityTimeComplete="false">
                          <SegmentTimeline>
                            <S t="0" d="180000" r="2"/>
                          </SegmentTimeline>
                        </SegmentTemplate>
                      </Representation>
                      <Representation id="480p" codecs="avc1.4d401e" bandwidth="100000" width="854" height="480" \
                sar="1:1" frameRate="30000/1001">
                        <SegmentTemplate timescale="90000" presentationTimeOffset="0" startNumber="0" \
                initialization="480p/e1/init.mp4" media="480p/e1/$Number$.m4s" availabilityTimeOffset="1.5" \
                availabilityTimeComplete="false">
                          <SegmentTimeline>
                            <S t="0" d="180000" r="2"/>
                          </SegmentTimeline>
                        </SegmentTemplate>
                      </Representation>
                      <Representation id="360p" codecs="avc1.42c01e" bandwidth="50000" width="640" height="360" \
                sar="1:1" frameRate="30000/1001">
                        <SegmentTemplate timescale="90000" presentationTimeOffset="0" startNumber="0" \
                initialization="360p/e1/init.mp4" media="360p/e1/$Number$.m4s" availabilityTimeOffset="1.5" \
                availabilityTimeComplete="false">
                          <SegmentTimeline>
                            <S t="0" d="180000" r="2"/>
                          </SegmentTimeline>
                        </SegmentTemplate>
                      </Representation>
                    </AdaptationSet>
                """, video);
        assertValidLadder(mpd, 3);
    }

    /**
     * The MPD rules a ladder must keep (the server's end-to-end MpdValidator checks the rest): well-formed, in the
     * MPD namespace; per Period one AdaptationSet per media type, each with segmentAlignment and startWithSAP;
     * Representation ids unique; every video Representation with the same segment timeline and numbers, so that a
     * player can switch at any segment.
     */
    static void assertValidLadder(String mpd, int renditions) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document doc = factory.newDocumentBuilder()
                .parse(new ByteArrayInputStream(mpd.getBytes(StandardCharsets.UTF_8)));
        String ns = "urn:mpeg:dash:schema:mpd:2011";
        assertEquals(ns, doc.getDocumentElement().getNamespaceURI());
        NodeList periods = doc.getElementsByTagNameNS(ns, "Period");
        for (int p = 0; p < periods.getLength(); p++) {
            Element period = (Element) periods.item(p);
            NodeList sets = period.getElementsByTagNameNS(ns, "AdaptationSet");
            Set<String> types = new HashSet<>();
            Set<String> ids = new HashSet<>();
            for (int s = 0; s < sets.getLength(); s++) {
                Element set = (Element) sets.item(s);
                assertTrue(types.add(set.getAttribute("contentType")), "one set per type");
                assertEquals("true", set.getAttribute("segmentAlignment"));
                assertEquals("1", set.getAttribute("startWithSAP"));
                NodeList reps = set.getElementsByTagNameNS(ns, "Representation");
                String timeline = null;
                for (int r = 0; r < reps.getLength(); r++) {
                    Element rep = (Element) reps.item(r);
                    assertTrue(ids.add(rep.getAttribute("id")), "unique id " + rep.getAttribute("id"));
                    assertTrue(Long.parseLong(rep.getAttribute("bandwidth")) > 0);
                    Element template = (Element) rep.getElementsByTagNameNS(ns, "SegmentTemplate").item(0);
                    String mine = template.getAttribute("timescale") + "/" + template.getAttribute("startNumber")
                            + "/" + template.getAttribute("presentationTimeOffset") + "/"
                            + timelineOf(template, ns);
                    if (timeline == null) {
                        timeline = mine;
                    }
                    assertEquals(timeline, mine, "Representation " + rep.getAttribute("id") + " aligned");
                }
                if (set.getAttribute("contentType").equals("video")) {
                    assertEquals(renditions, reps.getLength());
                }
            }
        }
    }

    private static String timelineOf(Element template, String ns) {
        StringBuilder b = new StringBuilder();
        NodeList s = template.getElementsByTagNameNS(ns, "S");
        for (int i = 0; i < s.getLength(); i++) {
            Element e = (Element) s.item(i);
            b.append(e.getAttribute("t")).append(',').append(e.getAttribute("d")).append(',')
                    .append(e.getAttribute("r")).append(';');
        }
        return b.toString();
    }

    // ---- a segmenter's renditions, one of them silent for a while ----

    static MediaFrame frame(int trackId, long index) {
        return new MediaFrame(trackId, MediaType.VIDEO, index * 3000, 0, index % 60 == 0, new byte[20 * trackId],
                HlsFixture.BASE_MILLIS + index * 100 / 3, 0);
    }

    @Test
    void aRenditionSilentForSegmentsListsThemAsGapsAndKeepsItsNumbers() throws Exception {
        HlsStream stream = new HlsStream(new StreamKey("live", "abr"), PackagerConfig.defaults(),
                Clock.fixed(HlsFixture.NOW, ZoneOffset.UTC));
        Segmenter segmenter = new Segmenter(PackagerConfig.defaults(), stream, () -> HlsFixture.BASE_MILLIS);
        segmenter.onTracks(List.of(HlsFixture.VIDEO.withLabel("source"),
                HlsFixture.VIDEO.withTrackId(2).withLabel("low")));
        for (int i = 0; i < 450; i++) { // 15 s; "low" sends nothing from 2.33 s to 7.33 s
            segmenter.onFrame(frame(1, i));
            if (i < 70 || i >= 220) {
                segmenter.onFrame(frame(2, i));
            }
        }
        segmenter.onEnd();
        String source = stream.mediaPlaylist("source", PlaylistQuery.NONE).join().bodyText();
        String low = stream.mediaPlaylist("low", PlaylistQuery.NONE).join().bodyText();
        String epoch = matcher("#EXT-X-MAP:URI=\"low/(\\w+)/init.mp4\"", low).group(1);

        List<String> lowSegments = segmentLines(low);
        assertEquals(segmentLines(source).size(), lowSegments.size(), "as many segments, the same numbers");
        for (int msn = 0; msn < lowSegments.size(); msn++) {
            assertTrue(lowSegments.get(msn).endsWith("low/" + epoch + "/" + msn + ".m4s"), lowSegments.get(msn));
            assertEquals(msn == 2 || msn == 3, lowSegments.get(msn).startsWith("#EXT-X-GAP"), lowSegments.get(msn));
        }
        // the gaps take the time the rendition has no media for: from segment 4 on, the same media time
        assertEquals(seconds(source, 4), seconds(low, 4), 1e-4);
        assertEquals(Status.NOT_FOUND, stream.mediaObject("low/" + epoch + "/2.m4s").join().status());
        assertEquals(Status.OK, stream.mediaObject("low/" + epoch + "/4.m4s").join().status());
        assertTrue(stream.mediaObject("low/" + epoch + "/4.0.m4s").join().status() == Status.OK);
    }

    private static Matcher matcher(String regex, String text) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex + " in " + text);
        return m;
    }

    /** Each segment's lines: an optional EXT-X-GAP, its EXTINF and its URI, joined. */
    private static List<String> segmentLines(String playlist) {
        List<String> out = new ArrayList<>();
        String[] lines = playlist.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("#EXTINF:")) {
                boolean gap = i > 0 && lines[i - 1].equals("#EXT-X-GAP");
                out.add((gap ? "#EXT-X-GAP " : "") + lines[i] + " " + lines[i + 1]);
            }
        }
        return out;
    }

    /** Seconds of media listed before segment {@code msn}. */
    private static double seconds(String playlist, int msn) {
        double sum = 0;
        List<String> segments = segmentLines(playlist);
        for (int i = 0; i < msn; i++) {
            String s = segments.get(i);
            sum += Double.parseDouble(s.substring(s.indexOf("#EXTINF:") + 8, s.indexOf(',')));
        }
        return sum;
    }
}
