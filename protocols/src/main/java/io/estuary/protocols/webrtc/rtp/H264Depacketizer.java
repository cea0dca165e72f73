package io.estuary.protocols.webrtc.rtp;

import io.estuary.media.codec.h264.NalUnits;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * RFC 6184 packetization-mode 1 (non-interleaved): single NAL unit packets (types 1-23), STAP-A (24) and FU-A (28).
 * Packets must come in sequence order (from {@link ReceiveStream#release}); an access unit ends on the marker bit,
 * or when the timestamp changes (the marked packet was lost).
 *
 * <p>A unit that lost a packet is dropped whole, since a decoder cannot use a picture with a hole in it: when
 * {@code afterGap} is set, the unit in progress is dropped, and so is a new unit whose first packet is the middle
 * of a fragmented NAL unit. A malformed payload drops its unit too. Any gap, dropped unit or not, means the
 * decoder's references are broken, so {@link #needsKeyframe()} stays true until an IDR access unit comes out.
 */
public final class H264Depacketizer {
    private static final int STAP_A = 24;
    private static final int FU_A = 28;
    /** Far beyond any level 5.2 picture; a bound against a sender that never sets the marker. */
    private static final int MAX_ACCESS_UNIT_BYTES = 8 * 1024 * 1024;
    private static final int MAX_NAL_UNITS = 1024;

    private final List<byte[]> nalUnits = new ArrayList<>();
    private final ByteArrayOutputStream fragment = new ByteArrayOutputStream();
    private boolean inUnit;
    private long timestamp;
    private int unitBytes;
    private boolean inFragment;
    private boolean damaged;
    private boolean needsKeyframe;
    private long unitsDropped;

    public List<H264AccessUnit> push(RtpPacket p, boolean afterGap) {
        List<H264AccessUnit> out = new ArrayList<>(1);
        byte[] payload = p.payload();
        if (payload.length == 0) {
            return out; // padding only (bandwidth probing); it belongs to no picture
        }
        if (inUnit && p.timestamp() != timestamp) {
            finishUnit(out);
        }
        if (afterGap) {
            needsKeyframe = true;
            damaged = inUnit;
        }
        if (!inUnit) {
            inUnit = true;
            timestamp = p.timestamp();
        }
        if (!damaged) {
            damaged = !depacketize(payload);
        }
        if (p.marker()) {
            finishUnit(out);
        }
        return out;
    }

    /** True from the first loss until an IDR access unit has been handed out. */
    public boolean needsKeyframe() {
        return needsKeyframe;
    }

    /** Access units dropped for a lost packet or a malformed payload. */
    public long unitsDropped() {
        return unitsDropped;
    }

    /** Adds the NAL units of one payload to the unit in progress; false when the payload cannot be used. */
    private boolean depacketize(byte[] payload) {
        int type = NalUnits.type(payload[0]);
        if (type >= 1 && type <= 23) {
            return !inFragment && addNal(payload, 0, payload.length);
        }
        if (type == STAP_A) {
            if (inFragment) {
                return false;
            }
            int pos = 1;
            while (pos < payload.length) {
                if (pos + 2 > payload.length) {
                    return false;
                }
                int size = RtpPacket.u16(payload, pos);
                pos += 2;
                if (size == 0 || size > payload.length - pos || !addNal(payload, pos, size)) {
                    return false;
                }
                pos += size;
            }
            return pos > 1;
        }
        if (type == FU_A) {
            return fragment(payload);
        }
        return false; // STAP-B, MTAP and FU-B belong to the interleaved mode; 0, 30 and 31 are undefined
    }

    private boolean fragment(byte[] payload) {
        if (payload.length < 3) {
            return false;
        }
        int header = payload[1] & 0xff;
        boolean startBit = (header & 0x80) != 0;
        boolean endBit = (header & 0x40) != 0;
        if (startBit == inFragment) {
            return false; // a start inside a fragment, or a continuation of nothing: a piece is missing
        }
        if (startBit) {
            fragment.reset();
            inFragment = true;
            // The NAL header is rebuilt from the FU indicator's F and NRI bits and the FU header's type.
            fragment.write(payload[0] & 0xe0 | header & 0x1f);
        }
        if (fragment.size() + payload.length - 2 > MAX_ACCESS_UNIT_BYTES - unitBytes) {
            return false;
        }
        fragment.write(payload, 2, payload.length - 2);
        if (endBit) {
            inFragment = false;
            byte[] nal = fragment.toByteArray();
            fragment.reset();
            return addNal(nal, 0, nal.length);
        }
        return true;
    }

    private boolean addNal(byte[] source, int offset, int length) {
        if (nalUnits.size() == MAX_NAL_UNITS || length > MAX_ACCESS_UNIT_BYTES - unitBytes) {
            return false;
        }
        byte[] nal = offset == 0 && length == source.length ? source
                : Arrays.copyOfRange(source, offset, offset + length);
        nalUnits.add(nal);
        unitBytes += length;
        return true;
    }

    private void finishUnit(List<H264AccessUnit> out) {
        if (damaged || inFragment) {
            unitsDropped++;
            needsKeyframe = true;
        } else if (!nalUnits.isEmpty()) {
            boolean idr = nalUnits.stream().anyMatch(n -> NalUnits.type(n[0]) == NalUnits.TYPE_IDR);
            if (idr) {
                needsKeyframe = false;
            }
            out.add(new H264AccessUnit(timestamp, nalUnits, idr));
        }
        nalUnits.clear();
        fragment.reset();
        inUnit = false;
        inFragment = false;
        damaged = false;
        unitBytes = 0;
    }
}
