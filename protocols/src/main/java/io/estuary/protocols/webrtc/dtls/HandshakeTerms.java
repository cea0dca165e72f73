package io.estuary.protocols.webrtc.dtls;

import java.io.IOException;
import java.util.Vector;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * What our DTLS server and client share: the protocol version, cipher suites and SRTP profiles we accept, our
 * credentials, the peer's fingerprint, and the outcome (SRTP keys, or the reason the handshake failed). One
 * instance serves one handshake.
 */
final class HandshakeTerms {
    /** DTLS 1.2 only: DTLS 1.0 is deprecated (RFC 8996) and no WebRTC stack needs it. */
    static final ProtocolVersion[] VERSIONS = ProtocolVersion.DTLSv12.only();
    /** ECDHE with our ECDSA certificate and AES-GCM: what Chromium, Firefox and Safari offer first. */
    static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    };
    /** Our certificate is P-256: we sign with ECDSA over SHA-256. */
    static final SignatureAndHashAlgorithm SIGNATURE =
            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

    final BcTlsCrypto crypto;
    private final DtlsCertificate certificate;
    private final PeerFingerprint peerFingerprint;
    final int timeoutMillis;
    private volatile String failure;
    private volatile SrtpKeys keys;

    HandshakeTerms(BcTlsCrypto crypto, DtlsCertificate certificate, PeerFingerprint peerFingerprint, int timeoutMillis) {
        this.crypto = crypto;
        this.certificate = certificate;
        this.peerFingerprint = peerFingerprint;
        this.timeoutMillis = timeoutMillis;
    }

    TlsCredentialedSigner signer(TlsContext context) throws IOException {
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                certificate.privateKey(), certificate.tlsCertificate(crypto), SIGNATURE);
    }

    /** Authenticates the peer by its SDP fingerprint; a mismatch aborts the handshake with bad_certificate. */
    void verifyPeer(Certificate chain) throws IOException {
        String mismatch = peerFingerprint.mismatch(chain);
        if (mismatch != null) {
            fail(mismatch);
            throw new TlsFatalAlert(AlertDescription.bad_certificate, mismatch);
        }
    }

    /** Records why we abort, so that the DtlsException says it rather than BouncyCastle's alert name. */
    void fail(String reason) {
        if (failure == null) {
            failure = reason;
        }
    }

    String failure() {
        return failure;
    }

    /** Derives the SRTP master keys once the handshake is complete (RFC 5764 §4.2). */
    void exportKeys(TlsContext context, SrtpProfile profile) {
        byte[] material = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null,
                SrtpKeys.keyingMaterialLength(profile));
        keys = SrtpKeys.fromKeyingMaterial(profile, material);
    }

    SrtpKeys keys() {
        return keys;
    }

    /** The SRTP profiles we offer, in order of preference. */
    static int[] profileIds() {
        SrtpProfile[] profiles = SrtpProfile.values();
        int[] ids = new int[profiles.length];
        for (int i = 0; i < profiles.length; i++) {
            ids[i] = profiles[i].id();
        }
        return ids;
    }

    /** Signature algorithms we accept from the peer: any that BouncyCastle implements for TLS 1.2. */
    static Vector<?> peerSignatureAlgorithms(TlsContext context) {
        return TlsUtils.getDefaultSupportedSignatureAlgorithms(context);
    }
}
