package io.estuary.packager.cmaf;

import io.estuary.media.frame.AacConfig;
import io.estuary.media.frame.AvcConfig;
import io.estuary.media.frame.CodecConfig;
import io.estuary.media.frame.OpusConfig;
import io.estuary.media.frame.TrackInfo;
import io.estuary.packager.box.Avc1Box;
import io.estuary.packager.box.BoxWriter;
import io.estuary.packager.box.EdtsBox;
import io.estuary.packager.box.EncaBox;
import io.estuary.packager.box.EncvBox;
import io.estuary.packager.box.FtypBox;
import io.estuary.packager.box.HdlrBox;
import io.estuary.packager.box.MdhdBox;
import io.estuary.packager.box.MediaHeaderBoxes;
import io.estuary.packager.box.Mp4aBox;
import io.estuary.packager.box.MvhdBox;
import io.estuary.packager.box.OpusBox;
import io.estuary.packager.box.RollGroupBoxes;
import io.estuary.packager.box.SampleTableBoxes;
import io.estuary.packager.box.TencBox;
import io.estuary.packager.box.TkhdBox;
import io.estuary.packager.box.TrexBox;
import io.estuary.packager.drm.PsshBoxes;
import io.estuary.packager.drm.StreamProtection;
import io.estuary.packager.drm.TrackEncryption;
import java.util.List;
import java.util.Set;

/**
 * Writes the CMAF header (init segment) of one track: {@code ftyp} + {@code moov} with a single track whose
 * samples all live in movie fragments. The output depends only on the track, so the same track always gives the
 * same bytes.
 *
 * <p>Opus follows "Encapsulation of Opus in ISO Base Media File Format" (Xiph, the mapping ISO/IEC 23003-5 and
 * CMAF refer to): an {@code Opus} sample entry with {@code dOps}, timescale 48000, and the edit list its section
 * 4.4 requires, one edit whose media_time is the pre-skip, so that players drop the encoder's priming samples
 * rather than play them (segment_duration 0: the whole track, as a live track's end is unknown); and the 'roll'
 * sample group of its 80 ms pre-roll (4.3.6.2), which every fragment maps its samples to.
 */
public final class CmafInitWriter {

    /** Every CMAF track file is written as track 1; each track has its own init segment. */
    public static final int TRACK_ID = 1;
    static final String MAJOR_BRAND = "iso6";
    static final List<String> COMPATIBLE_BRANDS = List.of("iso6", "cmfc", "mp41", "dash");
    private static final int MOVIE_TIMESCALE = 1000;

    private CmafInitWriter() {
    }

    public static byte[] write(TrackInfo track) {
        return write(track, null);
    }

    /**
     * The header of a track whose samples are encrypted under {@code protection}: an {@code encv}/{@code enca}
     * sample entry with its {@code sinf}, and a {@code pssh} per signalled DRM system at the end of {@code moov}.
     * A null {@code protection} writes the clear header, byte for byte.
     */
    public static byte[] write(TrackInfo track, StreamProtection protection) {
        BoxWriter w = new BoxWriter(1024);
        FtypBox.write(w, MAJOR_BRAND, 0, COMPATIBLE_BRANDS);
        int moov = w.start("moov");
        MvhdBox.write(w, MOVIE_TIMESCALE, TRACK_ID + 1);
        int trak = w.start("trak");
        writeTkhd(w, track.config());
        if (track.config() instanceof OpusConfig opus) {
            EdtsBox.write(w, opus.preSkip());
        }
        int mdia = w.start("mdia");
        MdhdBox.write(w, track.timescale(), "und");
        writeHandlerAndMinf(w, track.config(), protection);
        w.end(mdia);
        w.end(trak);
        int mvex = w.start("mvex");
        TrexBox.write(w, TRACK_ID);
        w.end(mvex);
        if (protection != null) {
            for (byte[] pssh : PsshBoxes.of(protection).values()) {
                w.bytes(pssh);
            }
        }
        w.end(moov);
        return w.toByteArray();
    }

    /**
     * The codec configurations this writer has sample entries for. Java 17 has no exhaustive pattern switch over
     * a sealed family, so a test walks {@link CodecConfig}'s permitted subclasses and fails until a new codec is
     * added here and below (or the segmenter taught to leave its tracks out); a new
     * {@link io.estuary.media.frame.MediaType} fails to compile in the switches.
     */
    static final Set<Class<? extends CodecConfig>> SUPPORTED = Set.of(AvcConfig.class, AacConfig.class,
            OpusConfig.class);

    private static void writeTkhd(BoxWriter w, CodecConfig config) {
        switch (config.mediaType()) {
            case VIDEO -> {
                AvcConfig avc = avc(config);
                TkhdBox.writeVideo(w, TRACK_ID, avc.width(), avc.height());
            }
            case AUDIO -> TkhdBox.writeAudio(w, TRACK_ID);
        }
    }

    private static void writeHandlerAndMinf(BoxWriter w, CodecConfig config, StreamProtection protection) {
        boolean video = switch (config.mediaType()) {
            case VIDEO -> true;
            case AUDIO -> false;
        };
        HdlrBox.write(w, video ? "vide" : "soun", video ? "VideoHandler" : "SoundHandler");
        int minf = w.start("minf");
        if (video) {
            MediaHeaderBoxes.writeVmhd(w);
        } else {
            MediaHeaderBoxes.writeSmhd(w);
        }
        MediaHeaderBoxes.writeDinf(w);
        int stbl = w.start("stbl");
        int stsd = w.startFull("stsd", 0, 0);
        w.u32(1); // entry_count
        writeSampleEntry(w, config, protection);
        w.end(stsd);
        SampleTableBoxes.writeEmptyTables(w);
        if (config instanceof OpusConfig opus) {
            RollGroupBoxes.writeDescription(w, -opusPreRollSamples(opus));
            RollGroupBoxes.writeEmptyMapping(w);
        }
        w.end(stbl);
        w.end(minf);
    }

    /** The codec's sample entry, or with {@code protection} its encrypted form carrying the {@code tenc}. */
    private static void writeSampleEntry(BoxWriter w, CodecConfig config, StreamProtection protection) {
        String scheme = protection == null ? null : protection.scheme().fourcc();
        TencBox.Defaults tenc = protection == null ? null : TrackEncryption.of(protection, config.mediaType()).tenc();
        switch (config.mediaType()) {
            case VIDEO -> {
                AvcConfig avc = avc(config);
                if (tenc == null) {
                    Avc1Box.write(w, avc.width(), avc.height(), avc.avcC());
                } else {
                    EncvBox.write(w, avc.width(), avc.height(), avc.avcC(), scheme, tenc);
                }
            }
            case AUDIO -> {
                if (config instanceof OpusConfig opus) {
                    if (tenc == null) {
                        OpusBox.write(w, opus.channels(), opus.opusHead());
                    } else {
                        EncaBox.writeOpus(w, opus.channels(), opus.opusHead(), scheme, tenc);
                    }
                    return;
                }
                AacConfig aac = aac(config);
                if (tenc == null) {
                    Mp4aBox.write(w, aac.channels(), aac.sampleRate(), aac.audioSpecificConfig());
                } else {
                    EncaBox.write(w, aac.channels(), aac.sampleRate(), aac.audioSpecificConfig(), scheme, tenc);
                }
            }
        }
    }

    /** Opus samples a decoder needs before its output is right: 80 ms' worth (Opus in ISO-BMFF, 4.3.6.2). */
    static int opusPreRollSamples(OpusConfig opus) {
        return -Math.floorDiv(-OpusConfig.SAMPLE_RATE * 80 / 1000, opus.samplesPerFrame());
    }

    private static AvcConfig avc(CodecConfig config) {
        if (config instanceof AvcConfig avc) {
            return avc;
        }
        throw unsupported(config);
    }

    private static AacConfig aac(CodecConfig config) {
        if (config instanceof AacConfig aac) {
            return aac;
        }
        throw unsupported(config);
    }

    private static IllegalArgumentException unsupported(CodecConfig config) {
        return new IllegalArgumentException("no CMAF sample entry for " + config.name());
    }
}
