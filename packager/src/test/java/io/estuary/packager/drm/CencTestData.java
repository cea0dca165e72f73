package io.estuary.packager.drm;

import io.estuary.media.codec.aac.AudioSpecificConfig;
import io.estuary.media.codec.h264.AvcDecoderConfigurationRecord;
import io.estuary.media.frame.AacConfig;
import io.estuary.media.frame.AvcConfig;
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Keys, codec configurations and hand-built H.264 samples for the encryption tests. */
final class CencTestData {

    static final byte[] KID = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
    static final byte[] KEY = HexFormat.of().parseHex("3a2a1b68dd2bd9b2eeb25e84c4776668");
    static final byte[] CONSTANT_IV = HexFormat.of().parseHex("0f0e0d0c0b0a09080706050403020100");
    static final ContentKey CONTENT_KEY = new ContentKey(KID, KEY, CONSTANT_IV);

    /** A 320x240 High profile SPS and its PPS, from x264. */
    static final AvcConfig AVC = AvcConfig.fromAvcC(AvcDecoderConfigurationRecord.build(
            List.of(HexFormat.of().parseHex("6764000dacd94141fb0110000030001000003003c0f1429996")),
            List.of(HexFormat.of().parseHex("68ebe3cb22c0"))));
    static final AacConfig AAC = AacConfig.fromAudioSpecificConfig(AudioSpecificConfig.aacLc(48000, 2));

    private CencTestData() {
    }

    static StreamProtection protection(EncryptionScheme scheme, DrmSystem... systems) {
        return new StreamProtection(scheme, CONTENT_KEY, List.of(systems), Map.of());
    }

    /**
     * NAL units with 4-byte length fields: each pair in {@code typesAndLengths} is a NAL unit type and the NAL
     * unit's length (header byte included). Payload bytes count up from the unit's position, so no two ranges look
     * alike.
     */
    static byte[] sample(int... typesAndLengths) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < typesAndLengths.length; i += 2) {
            int length = typesAndLengths[i + 1];
            out.write(length >>> 24);
            out.write(length >>> 16);
            out.write(length >>> 8);
            out.write(length);
            out.write(0x60 | typesAndLengths[i]); // nal_ref_idc 3, nal_unit_type
            for (int b = 1; b < length; b++) {
                out.write(out.size() * 7 + b);
            }
        }
        return out.toByteArray();
    }
}
