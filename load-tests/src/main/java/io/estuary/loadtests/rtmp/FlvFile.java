package io.estuary.loadtests.rtmp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A whole FLV file read into memory once and shared, read-only, by every publisher that replays it. Only what a
 * replay needs is kept: the onMetaData script tag and the audio/video tags in file order. Lengths from the file are
 * checked against what is left before they are trusted, and the file itself is bounded in size.
 */
public final class FlvFile {
    /** A replay source is a short clip; a bigger file is a mistake (and would be held once per JVM anyway). */
    public static final int MAX_FILE_BYTES = 256 << 20;
    static final int AUDIO = 8;
    static final int VIDEO = 9;
    static final int SCRIPT = 18;

    /**
     * One audio or video tag. The bytes are {@code data[offset, offset + length)} of the shared file contents.
     *
     * @param config true for the AVC / AAC sequence headers, which a looping replay sends only once
     */
    public record Tag(int type, long timestamp, byte[] data, int offset, int length, boolean config) {
    }

    private final byte[] bytes;
    private final List<Tag> tags;
    private final byte[] metadata;
    private final long loopDurationMs;

    private FlvFile(byte[] bytes, List<Tag> tags, byte[] metadata, long loopDurationMs) {
        this.bytes = bytes;
        this.tags = tags;
        this.metadata = metadata;
        this.loopDurationMs = loopDurationMs;
    }

    public static FlvFile read(Path path) throws IOException {
        long size = Files.size(path);
        if (size > MAX_FILE_BYTES) {
            throw new IOException(path + " is " + size + " bytes; at most " + MAX_FILE_BYTES + " are replayed");
        }
        return parse(Files.readAllBytes(path));
    }

    /** Parses FLV (Adobe FLV specification 10.1, annex E): header, then (previous tag size, tag) pairs. */
    public static FlvFile parse(byte[] bytes) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (bytes.length < 13 || bytes[0] != 'F' || bytes[1] != 'L' || bytes[2] != 'V') {
            throw new IOException("not an FLV file (no FLV signature)");
        }
        long dataOffset = Integer.toUnsignedLong(in.getInt(5));
        if (dataOffset < 9 || dataOffset + 4 > bytes.length) {
            throw new IOException("FLV header size " + dataOffset + " out of range");
        }
        in.position((int) dataOffset + 4); // skip the header and PreviousTagSize0
        List<Tag> tags = new ArrayList<>();
        byte[] metadata = null;
        while (in.remaining() >= 11) {
            int type = in.get() & 0x1F; // the top bits are reserved and the filter (encryption) flag
            int length = (in.get() & 0xFF) << 16 | (in.getShort() & 0xFFFF);
            long timestamp = (in.get() & 0xFFL) << 16 | (in.getShort() & 0xFFFFL);
            timestamp |= (in.get() & 0xFFL) << 24; // TimestampExtended: the upper 8 bits
            in.position(in.position() + 3); // StreamID, always 0
            if (length > in.remaining()) {
                break; // a truncated last tag (a recording cut short): replay what is complete
            }
            int offset = in.position();
            in.position(offset + length);
            if (in.remaining() >= 4) {
                in.getInt(); // PreviousTagSize: redundant with the length we just used
            }
            if (type == SCRIPT && metadata == null) {
                metadata = Arrays.copyOfRange(bytes, offset, offset + length);
            } else if ((type == AUDIO || type == VIDEO) && length >= 2 && !isAvcEndOfSequence(type, bytes, offset)) {
                boolean config = type == VIDEO ? isAvcConfig(bytes, offset) : isAacConfig(bytes, offset);
                tags.add(new Tag(type, timestamp, bytes, offset, length, config));
            }
        }
        long base = tags.stream().mapToLong(Tag::timestamp).min().orElseThrow(
                () -> new IOException("FLV file without audio or video tags"));
        long[] video = tags.stream().filter(t -> t.type() == VIDEO && !t.config()).mapToLong(Tag::timestamp)
                .sorted().toArray();
        long last = tags.stream().mapToLong(Tag::timestamp).max().orElse(base);
        // A loop lasts as many video frames as the file has, so that frames stay evenly spaced across the seam
        // (and segments keep their length). Audio past that point is dropped: the next loop's first audio frame
        // would otherwise come earlier than the last one sent, and AAC frames stand alone.
        long loop = video.length > 1
                ? Math.round(video[video.length - 1] - base + (video[video.length - 1] - video[0])
                        / (video.length - 1.0))
                : last - base + 1;
        List<Tag> kept = tags.stream().filter(t -> t.config() || t.timestamp() - base < loop).toList();
        return new FlvFile(bytes, kept, metadata, loop);
    }

    /** AVCPacketType 2: the end of sequence ffmpeg writes last; mid-replay it would tell a server the stream ended. */
    private static boolean isAvcEndOfSequence(int type, byte[] b, int offset) {
        return type == VIDEO && (b[offset] & 0x0F) == 7 && b[offset + 1] == 2;
    }

    /** Codec id 7 (AVC) and AVCPacketType 0: the AVCDecoderConfigurationRecord. */
    private static boolean isAvcConfig(byte[] b, int offset) {
        return (b[offset] & 0x0F) == 7 && b[offset + 1] == 0;
    }

    /** Sound format 10 (AAC) and AACPacketType 0: the AudioSpecificConfig. */
    private static boolean isAacConfig(byte[] b, int offset) {
        return ((b[offset] & 0xF0) >> 4) == 10 && b[offset + 1] == 0;
    }

    public List<Tag> tags() {
        return tags;
    }

    /** The body of the first script tag (AMF0 "onMetaData" and its array), or null when the file has none. */
    public byte[] metadata() {
        return metadata == null ? null : metadata.clone();
    }

    /** How far timestamps advance per loop of the replay, in milliseconds. */
    public long loopDurationMs() {
        return loopDurationMs;
    }

    public int sizeBytes() {
        return bytes.length;
    }

    /** Media bytes per second of the file (audio and video tag bodies), for the report. */
    public double bitrateBps() {
        long total = 0;
        for (Tag t : tags) {
            total += t.length();
        }
        return total * 8000.0 / loopDurationMs;
    }
}
