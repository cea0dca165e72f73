package io.estuary.protocols.webrtc.srtp;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import io.estuary.protocols.webrtc.dtls.DtlsRole;
import io.estuary.protocols.webrtc.dtls.SrtpKeys;
import io.estuary.protocols.webrtc.dtls.SrtpProfile;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.logging2.Logger;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * The SRTP state of one DTLS association: decrypting what the peer sends (SRTP and SRTCP) and protecting the RTCP
 * we send back, or, for a publisher (the WHIP load tools), the RTP it sends.
 *
 * <p>Key direction (RFC 5764 §4.2): each side protects what it sends with its own DTLS role's key and salt. As
 * DTLS server we therefore decrypt with the client's keys and protect with the server's; as client the reverse.
 *
 * <p>jitsi-srtp keeps one crypto context per SSRC (the rollover counter and the 64-packet replay window are per
 * stream). A context for a new SSRC is kept only if the packet that introduced it authenticates, so forged packets
 * cannot grow the table; a peer that uses more than {@link #MAX_SSRCS} SSRCs has its extra streams dropped and
 * counted. Each direction has its own lock: the session thread may unprotect while another protects RTCP.
 */
public final class SrtpSession {
    /** Streams per direction: audio, video, their RTX and three simulcast layers fit many times over. */
    static final int MAX_SSRCS = 32;
    private static final int RTP_HEADER_LENGTH = 12;
    private static final int RTCP_HEADER_LENGTH = 8;
    /** IPv4's largest UDP payload: no RTCP packet we send can be longer. */
    private static final int MAX_PACKET_LENGTH = 65507;
    /** The longest authentication tag of our profiles: GCM's 16 bytes (HMAC-SHA1-80 has 10). */
    private static final int MAX_TAG_LENGTH = 16;
    private static final Logger LOGGER = new LoggerImpl(SrtpSession.class.getName());

    static {
        // jitsi-srtp otherwise benchmarks every AES provider it can find the first time a mode is used: about a
        // second, spent inside the first publisher's session while its media waits. The JDK's own provider uses
        // the AES-NI and GHASH intrinsics; naming it makes jitsi check it works and use it.
        org.jitsi.srtp.crypto.Aes.setFactoryClassName(org.jitsi.srtp.crypto.Aes.SunJCECipherFactory.class.getName());
    }

    private final SrtpContextFactory remote;
    private final SrtpContextFactory local;
    private final Contexts<SrtpCryptoContext> rtpIn = new Contexts<>();
    private final Contexts<SrtcpCryptoContext> rtcpIn = new Contexts<>();
    private final Contexts<SrtcpCryptoContext> rtcpOut = new Contexts<>();
    private final Contexts<SrtpCryptoContext> rtpOut = new Contexts<>();
    private final AtomicLong authFailures = new AtomicLong();
    private final AtomicLong replays = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong tooManySsrcs = new AtomicLong();

    private SrtpSession(SrtpContextFactory remote, SrtpContextFactory local) {
        this.remote = remote;
        this.local = local;
    }

    /**
     * Runs both profiles once, both ways, on throw-away keys. The first use of each cipher in a JVM loads and checks
     * its implementation under a JVM-wide lock of jitsi-srtp's: done at start-up, it never stalls a live session
     * (in the load publisher it froze every stream at once for most of a second).
     */
    public static synchronized void warmUp() {
        byte[] rtp = {(byte) 0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 2, 3};
        byte[] rtcp = {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 1};
        for (SrtpProfile profile : SrtpProfile.values()) {
            SrtpKeys keys = new SrtpKeys(profile, new byte[profile.keyLength()], new byte[profile.saltLength()],
                    new byte[profile.keyLength()], new byte[profile.saltLength()]);
            SrtpSession client = of(keys, DtlsRole.CLIENT);
            SrtpSession server = of(keys, DtlsRole.SERVER);
            byte[] srtp = client.protectRtp(rtp);
            byte[] srtcp = client.protectRtcp(rtcp);
            if (server.unprotectRtp(srtp, 0, srtp.length) < 0 || server.unprotectRtcp(srtcp, 0, srtcp.length) < 0) {
                throw new IllegalStateException("SRTP " + profile + " does not round-trip");
            }
        }
    }

    public static SrtpSession of(SrtpKeys keys, DtlsRole localRole) {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(localRole, "localRole");
        boolean server = localRole == DtlsRole.SERVER;
        byte[] remoteKey = server ? keys.clientKey() : keys.serverKey();
        byte[] remoteSalt = server ? keys.clientSalt() : keys.serverSalt();
        byte[] localKey = server ? keys.serverKey() : keys.clientKey();
        byte[] localSalt = server ? keys.serverSalt() : keys.clientSalt();
        SrtpPolicy policy = policy(keys.profile());
        return new SrtpSession(
                new SrtpContextFactory(false, remoteKey, remoteSalt, policy, policy, LOGGER),
                new SrtpContextFactory(true, localKey, localSalt, policy, policy, LOGGER));
    }

    /**
     * The jitsi-srtp policy for a DTLS-SRTP profile; SRTP and SRTCP use the same one (RFC 5764 §4.1.2, RFC 7714
     * §14.2). Replay protection is on for receiving: jitsi-srtp's default, asserted here because it is a security
     * property, not a tuning.
     */
    static SrtpPolicy policy(SrtpProfile profile) {
        SrtpPolicy policy = switch (profile) {
            case AES_CM_128_HMAC_SHA1_80 -> new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, profile.keyLength(),
                    SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, profile.saltLength());
            case AEAD_AES_128_GCM -> new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, profile.keyLength(),
                    SrtpPolicy.NULL_AUTHENTICATION, 0, 16, profile.saltLength());
        };
        policy.setReceiveReplayEnabled(true);
        return policy;
    }

    /**
     * Authenticates and decrypts one SRTP packet in place.
     *
     * @return the length of the RTP packet now at {@code buf[off..]}, or -1 when it failed authentication, is a
     *         replay, is malformed, or comes from one SSRC too many (each counted)
     */
    public int unprotectRtp(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < RTP_HEADER_LENGTH || (buf[off] & 0xC0) != 0x80) {
            malformed.incrementAndGet();
            return -1;
        }
        PacketBuffer packet = new PacketBuffer(buf, off, len);
        synchronized (rtpIn) {
            int ssrc = readInt(buf, off + 8);
            boolean fresh = !rtpIn.contains(ssrc);
            SrtpCryptoContext context = rtpIn.get(ssrc, () -> remote.deriveContext(ssrc, 0));
            if (context == null) {
                return -1;
            }
            SrtpErrorStatus status;
            try {
                status = context.reverseTransformPacket(packet, false);
            } catch (GeneralSecurityException e) {
                status = SrtpErrorStatus.AUTH_FAIL;
            }
            return finish(status, packet, off, fresh ? () -> rtpIn.remove(ssrc) : null);
        }
    }

    /** Authenticates and decrypts one SRTCP packet in place; same contract as {@link #unprotectRtp}. */
    public int unprotectRtcp(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < RTCP_HEADER_LENGTH || (buf[off] & 0xC0) != 0x80) {
            malformed.incrementAndGet();
            return -1;
        }
        PacketBuffer packet = new PacketBuffer(buf, off, len);
        synchronized (rtcpIn) {
            int ssrc = readInt(buf, off + 4);
            boolean fresh = !rtcpIn.contains(ssrc);
            SrtcpCryptoContext context = rtcpIn.get(ssrc, () -> remote.deriveControlContext(ssrc));
            if (context == null) {
                return -1;
            }
            SrtpErrorStatus status;
            try {
                status = context.reverseTransformPacket(packet);
            } catch (GeneralSecurityException e) {
                status = SrtpErrorStatus.AUTH_FAIL;
            }
            return finish(status, packet, off, fresh ? () -> rtcpIn.remove(ssrc) : null);
        }
    }

    /**
     * Protects one RTCP packet (or compound packet) of ours for the peer. Each sender SSRC gets its own SRTCP
     * index, starting at 0.
     *
     * @throws IllegalArgumentException when {@code plain} is not an RTCP packet or we already send from
     *         {@link #MAX_SSRCS} SSRCs
     */
    public byte[] protectRtcp(byte[] plain) {
        if (plain.length < RTCP_HEADER_LENGTH || plain.length > MAX_PACKET_LENGTH || (plain[0] & 0xC0) != 0x80) {
            throw new IllegalArgumentException("not an RTCP packet: " + plain.length + " bytes");
        }
        PacketBuffer packet = new PacketBuffer(plain.clone(), 0, plain.length);
        synchronized (rtcpOut) {
            int ssrc = readInt(plain, 4);
            SrtcpCryptoContext context = rtcpOut.get(ssrc, () -> local.deriveControlContext(ssrc));
            if (context == null) {
                throw new IllegalArgumentException("we already send RTCP from " + MAX_SSRCS + " SSRCs");
            }
            try {
                SrtpErrorStatus status = context.transformPacket(packet);
                if (status != SrtpErrorStatus.OK) {
                    throw new IllegalStateException("SRTCP protection failed: " + status.desc);
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("SRTCP protection failed", e);
            }
        }
        return packet.toArray();
    }

    /**
     * Protects one RTP packet of ours for the peer (encrypts the payload, appends the tag). Each SSRC gets its own
     * rollover counter, which follows the sequence numbers across wraps. jitsi-srtp refuses to protect an index
     * twice, so a retransmission on the same SSRC (a NACK answered without RTX) resends the bytes this returned:
     * the peer's replay window accepts an index it has not seen yet.
     *
     * @throws IllegalArgumentException when {@code plain} is not an RTP packet or we already send from
     *         {@link #MAX_SSRCS} SSRCs
     */
    public byte[] protectRtp(byte[] plain) {
        if (plain.length < RTP_HEADER_LENGTH || plain.length > MAX_PACKET_LENGTH || (plain[0] & 0xC0) != 0x80) {
            throw new IllegalArgumentException("not an RTP packet: " + plain.length + " bytes");
        }
        // Room for the tag: jitsi-srtp's GCM encryption writes it in place, past the packet, without growing it.
        PacketBuffer packet = new PacketBuffer(Arrays.copyOf(plain, plain.length + MAX_TAG_LENGTH), 0, plain.length);
        synchronized (rtpOut) {
            int ssrc = readInt(plain, 8);
            SrtpCryptoContext context = rtpOut.get(ssrc, () -> local.deriveContext(ssrc, 0));
            if (context == null) {
                throw new IllegalArgumentException("we already send RTP from " + MAX_SSRCS + " SSRCs");
            }
            try {
                SrtpErrorStatus status = context.transformPacket(packet);
                if (status != SrtpErrorStatus.OK) {
                    throw new IllegalStateException("SRTP protection failed: " + status.desc);
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("SRTP protection failed", e);
            }
        }
        return packet.toArray();
    }

    /** Packets that failed authentication. */
    public long authFailures() {
        return authFailures.get();
    }

    /** Packets refused by the replay window (seen already, or older than the window). */
    public long replays() {
        return replays.get();
    }

    /** Packets too short or not version 2, refused before any cryptography. */
    public long malformed() {
        return malformed.get();
    }

    /** Packets dropped because their SSRC would have exceeded {@link #MAX_SSRCS}. */
    public long tooManySsrcs() {
        return tooManySsrcs.get();
    }

    private int finish(SrtpErrorStatus status, PacketBuffer packet, int off, Runnable forgetFreshContext) {
        switch (status) {
            case OK -> {
                if (packet.getOffset() != off) {
                    // jitsi-srtp moves the start only when it adds a header (cryptex, sending); keep our contract.
                    System.arraycopy(packet.getBuffer(), packet.getOffset(), packet.getBuffer(), off,
                            packet.getLength());
                }
                return packet.getLength();
            }
            case AUTH_FAIL -> authFailures.incrementAndGet();
            case REPLAY_FAIL, REPLAY_OLD -> replays.incrementAndGet();
            default -> malformed.incrementAndGet();
        }
        if (forgetFreshContext != null) {
            forgetFreshContext.run();
        }
        return -1;
    }

    private static int readInt(byte[] buf, int at) {
        return (buf[at] & 0xFF) << 24 | (buf[at + 1] & 0xFF) << 16 | (buf[at + 2] & 0xFF) << 8 | buf[at + 3] & 0xFF;
    }

    /** Crypto contexts by SSRC, at most {@link #MAX_SSRCS}; callers hold the instance's lock. */
    private final class Contexts<T> {
        private final Map<Integer, T> bySsrc = new HashMap<>();

        boolean contains(int ssrc) {
            return bySsrc.containsKey(ssrc);
        }

        /** The context for this SSRC, created if there is room; null (counted) if there is none. */
        T get(int ssrc, ContextFactory<T> factory) {
            T context = bySsrc.get(ssrc);
            if (context == null) {
                if (bySsrc.size() >= MAX_SSRCS) {
                    tooManySsrcs.incrementAndGet();
                    return null;
                }
                try {
                    context = factory.create();
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("cannot create an SRTP context", e);
                }
                bySsrc.put(ssrc, context);
            }
            return context;
        }

        void remove(int ssrc) {
            bySsrc.remove(ssrc);
        }
    }

    @FunctionalInterface
    private interface ContextFactory<T> {
        T create() throws GeneralSecurityException;
    }
}
