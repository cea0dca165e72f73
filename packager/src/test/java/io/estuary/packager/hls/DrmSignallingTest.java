package io.estuary.packager.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.packager.dash.DashConfig;
import io.estuary.packager.drm.ContentKey;
import io.estuary.packager.drm.DrmSystem;
import io.estuary.packager.drm.EncryptionScheme;
import io.estuary.packager.drm.PlayReadyHeader;
import io.estuary.packager.drm.PsshBoxes;
import io.estuary.packager.drm.StreamProtection;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** How encrypted tracks are signalled in media playlists, the multivariant playlist and the MPD. */
class DrmSignallingTest {

    static final String KID = "0123456789abcdef0123456789abcdef";
    static final ContentKey KEY = new ContentKey(HexFormat.of().parseHex(KID),
            HexFormat.of().parseHex("00112233445566778899aabbccddeeff"),
            HexFormat.of().parseHex("ffeeddccbbaa99887766554433221100"));

    static StreamProtection protection(EncryptionScheme scheme, DrmSystem... systems) {
        return new StreamProtection(scheme, KEY, List.of(systems),
                Map.of(DrmSystem.PLAYREADY, "https://pr.example/rightsmanager.asmx?a=1&b=2"));
    }

    static HlsFixture encrypted(StreamProtection p) {
        HlsFixture f = new HlsFixture(HlsFixture.config(10, 256L << 20));
        f.protection = p;
        f.start("e1", HlsFixture.VIDEO, HlsFixture.AUDIO);
        return f;
    }

    @Test
    void mediaPlaylistsNameTheKeyOfEachSystemBeforeTheFirstSegment() {
        HlsFixture f = encrypted(protection(EncryptionScheme.CBCS, DrmSystem.FAIRPLAY, DrmSystem.CLEARKEY));
        f.segments(2);
        String video = f.playlist("video");
        String keys = "#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"skd://" + KID + "\","
                + "KEYFORMAT=\"com.apple.streamingkeydelivery\",KEYFORMATVERSIONS=\"1\"\n"
                + "#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"/drm/clearkey/keys/" + KID + "\","
                + "KEYFORMAT=\"identity\",KEYFORMATVERSIONS=\"1\"\n"
                + "#EXT-X-MAP:URI=\"video/e1/init.mp4\"\n";
        assertTrue(video.contains(keys), video);
        assertEquals(2, count(video, "#EXT-X-KEY:"), "keys once, before the first segment: " + video);
        assertTrue(f.playlist("audio").contains(keys.replace("video/", "audio/")));
    }

    @Test
    void cencIsSampleAesCtrAndTheMultivariantPlaylistHasSessionKeys() {
        HlsFixture f = encrypted(protection(EncryptionScheme.CENC, DrmSystem.CLEARKEY));
        f.segments(1);
        String multivariant = f.stream.multivariantPlaylist().join().bodyText();
        assertEquals("#EXT-X-SESSION-KEY:METHOD=SAMPLE-AES-CTR,URI=\"/drm/clearkey/keys/" + KID
                + "\",KEYFORMAT=\"identity\",KEYFORMATVERSIONS=\"1\"", line(multivariant, "#EXT-X-SESSION-KEY:"));
        assertEquals(1, count(multivariant, "#EXT-X-SESSION-KEY:"), "video and audio share the key");
        assertTrue(f.playlist("video").contains("#EXT-X-KEY:METHOD=SAMPLE-AES-CTR,"));
    }

    @Test
    void widevineAndPlayReadyCarryTheirPsshAndHeaderObject() {
        StreamProtection p = protection(EncryptionScheme.CENC, DrmSystem.WIDEVINE, DrmSystem.PLAYREADY);
        HlsFixture f = encrypted(p);
        f.segments(1);
        String video = f.playlist("video");
        String widevine = Base64.getEncoder().encodeToString(PsshBoxes.box(DrmSystem.WIDEVINE, p));
        String pro = Base64.getEncoder().encodeToString(PlayReadyHeader.object(p));
        assertEquals("#EXT-X-KEY:METHOD=SAMPLE-AES-CTR,URI=\"data:text/plain;base64," + widevine + "\",KEYID=0x" + KID
                + ",KEYFORMAT=\"urn:uuid:edef8ba9-79d6-4ace-a3c8-27dcd51d21ed\",KEYFORMATVERSIONS=\"1\"",
                line(video, "#EXT-X-KEY:METHOD=SAMPLE-AES-CTR,URI=\"data:text/plain;base64"));
        assertEquals("#EXT-X-KEY:METHOD=SAMPLE-AES-CTR,URI=\"data:text/plain;charset=UTF-16;base64," + pro
                + "\",KEYFORMAT=\"com.microsoft.playready\",KEYFORMATVERSIONS=\"1\"",
                line(video, "#EXT-X-KEY:METHOD=SAMPLE-AES-CTR,URI=\"data:text/plain;charset=UTF-16"));
        String mpd = f.stream.manifest(DashConfig.defaults(), "http://h").join().bodyText();
        assertEquals(2, count(mpd, "<cenc:pssh>" + widevine + "</cenc:pssh>"), mpd);
        assertEquals(2, count(mpd, "<mspr:pro>" + pro + "</mspr:pro>"), mpd);
        String playReadyPssh = Base64.getEncoder().encodeToString(PsshBoxes.box(DrmSystem.PLAYREADY, p));
        assertEquals(2, count(mpd, "<cenc:pssh>" + playReadyPssh + "</cenc:pssh>"), mpd);
    }

    @Test
    void aDeltaUpdateStillNamesTheKey() {
        HlsFixture f = encrypted(protection(EncryptionScheme.CENC, DrmSystem.CLEARKEY));
        f.segments(10);
        String delta = f.playlist("video", PlaylistQuery.parse("_HLS_skip=YES"));
        assertTrue(delta.contains("#EXT-X-SKIP:"), delta);
        assertTrue(delta.indexOf("#EXT-X-KEY:") < delta.indexOf("#EXT-X-MAP:"), delta);
    }

    @Test
    void clearMediaAfterEncryptedMediaEndsTheKeyAndClearStreamsHaveNoKeyTags() {
        HlsFixture f = encrypted(protection(EncryptionScheme.CENC, DrmSystem.CLEARKEY));
        f.segments(2);
        f.protection = null;
        f.start("e2", HlsFixture.VIDEO, HlsFixture.AUDIO);
        f.segments(2);
        String video = f.playlist("video");
        assertTrue(video.contains("#EXT-X-DISCONTINUITY\n#EXT-X-KEY:METHOD=NONE\n#EXT-X-MAP:URI=\"video/e2/init.mp4\""),
                video);
        assertFalse(f.stream.multivariantPlaylist().join().bodyText().contains("SESSION-KEY"),
                "the latest session is clear");
        HlsFixture clear = HlsFixture.videoAudio();
        clear.segments(2);
        assertFalse(clear.playlist("video").contains("KEY"));
    }

    @Test
    void theMpdCarriesContentProtectionPerAdaptationSet() {
        HlsFixture f = encrypted(protection(EncryptionScheme.CBCS, DrmSystem.CLEARKEY, DrmSystem.PLAYREADY,
                DrmSystem.FAIRPLAY));
        f.segments(2);
        String mpd = f.stream.manifest(DashConfig.defaults(), "http://example.test:8080").join().bodyText();
        assertTrue(mpd.contains("xmlns:cenc=\"urn:mpeg:cenc:2013\""), mpd);
        assertEquals(2, count(mpd, "<ContentProtection schemeIdUri=\"urn:mpeg:dash:mp4protection:2011\" "
                + "value=\"cbcs\" cenc:default_KID=\"01234567-89ab-cdef-0123-456789abcdef\"/>"), mpd);
        assertEquals(2, count(mpd, "<dashif:Laurl>http://example.test:8080/drm/clearkey/license</dashif:Laurl>"),
                mpd);
        assertEquals(2, count(mpd, "<dashif:Laurl>https://pr.example/rightsmanager.asmx?a=1&amp;b=2</dashif:Laurl>"),
                mpd);
        assertFalse(mpd.contains(DrmSystem.FAIRPLAY.systemId().toString()), "FairPlay is HLS only");
        assertTrue(mpd.indexOf("<ContentProtection") < mpd.indexOf("<ProducerReferenceTime"), "schema order");
        HlsFixture clear = HlsFixture.videoAudio();
        clear.segments(2);
        String clearMpd = clear.stream.manifest(DashConfig.defaults(), "http://h").join().bodyText();
        assertFalse(clearMpd.contains("ContentProtection") || clearMpd.contains("xmlns:cenc"), clearMpd);
    }

    static int count(String text, String needle) {
        return text.split(Pattern.quote(needle), -1).length - 1;
    }

    static String line(String text, String prefix) {
        Matcher m = Pattern.compile("^" + Pattern.quote(prefix) + ".*$", Pattern.MULTILINE).matcher(text);
        return m.find() ? m.group() : null;
    }
}
