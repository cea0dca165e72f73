package io.estuary.packager.cmaf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.estuary.media.codec.aac.AudioSpecificConfig;
import io.estuary.media.codec.h264.AvcDecoderConfigurationRecord;
import io.estuary.media.frame.AacConfig;
import io.estuary.media.frame.AvcConfig;
import io.estuary.media.frame.TrackInfo;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartTargetTest {
    private static final TrackInfo VIDEO = TrackInfo.video(1, AvcConfig.fromAvcC(AvcDecoderConfigurationRecord.build(
            List.of(HexFormat.of().parseHex("6764001facd9405005bb0110000003001000000303c0f1831960")),
            List.of(HexFormat.of().parseHex("68ebe3cb22c0")))));
    private static final TrackInfo AUDIO_48K =
            TrackInfo.audio(2, AacConfig.fromAudioSpecificConfig(AudioSpecificConfig.aacLc(48000, 2)));
    private static final TrackInfo AUDIO_44K =
            TrackInfo.audio(2, AacConfig.fromAudioSpecificConfig(AudioSpecificConfig.aacLc(44100, 2)));

    @Test
    void videoWithAudioDeclaresRoomForOneAudioFrame() {
        // 1024 samples: 21.33 ms at 48 kHz, 23.22 ms at 44.1 kHz, rounded up to the millisecond.
        assertEquals(Duration.ofMillis(522), PartTarget.declared(Duration.ofMillis(500), List.of(VIDEO, AUDIO_48K)));
        assertEquals(Duration.ofMillis(224), PartTarget.declared(Duration.ofMillis(200), List.of(VIDEO, AUDIO_44K)));
    }

    @Test
    void aSingleKindOfTrackDeclaresTheConfiguredTarget() {
        assertEquals(Duration.ofMillis(500), PartTarget.declared(Duration.ofMillis(500), List.of(VIDEO)));
        // Audio alone cuts itself within the target.
        assertEquals(Duration.ofMillis(500), PartTarget.declared(Duration.ofMillis(500), List.of(AUDIO_48K)));
    }
}
