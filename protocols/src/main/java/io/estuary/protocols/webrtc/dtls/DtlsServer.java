package io.estuary.protocols.webrtc.dtls;

import java.io.IOException;
import java.util.Hashtable;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;

/**
 * Our DTLS server, used when the browser is the DTLS client (its offer said {@code a=setup:actpass}). It demands a
 * client certificate, because WebRTC authenticates both ends (RFC 8827 §6.5), and picks the SRTP profile.
 */
final class DtlsServer extends DefaultTlsServer {
    private final HandshakeTerms terms;
    private SrtpProfile profile;

    DtlsServer(HandshakeTerms terms) {
        super(terms.crypto);
        this.terms = terms;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return HandshakeTerms.VERSIONS;
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return HandshakeTerms.CIPHER_SUITES;
    }

    @Override
    public boolean requiresExtendedMasterSecret() {
        return true;
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return terms.timeoutMillis;
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        return terms.signer(context);
    }

    @Override
    public CertificateRequest getCertificateRequest() {
        // Browsers make ECDSA certificates by default; RSA ones are still allowed by the WebRTC API.
        short[] types = {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign};
        return new CertificateRequest(types, HandshakeTerms.peerSignatureAlgorithms(context), null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        terms.verifyPeer(clientCertificate);
    }

    /** Picks the first of our profiles that the client offers (RFC 5764 §4.1.1: the server chooses). */
    @Override
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered == null) {
            throw abort("the DTLS client did not offer SRTP (no use_srtp extension)");
        }
        for (SrtpProfile candidate : SrtpProfile.values()) {
            for (int id : offered.getProtectionProfiles()) {
                if (id == candidate.id()) {
                    profile = candidate;
                    return;
                }
            }
        }
        throw abort("the DTLS client offers no SRTP profile we support (we accept AEAD_AES_128_GCM and "
                + "AES_CM_128_HMAC_SHA1_80)");
    }

    @Override
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = super.getServerExtensions();
        // An empty MKI: we do not use master key identifiers (RFC 5764 §4.1.1 lets the server decline them).
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {profile.id()}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        terms.exportKeys(context, profile);
    }

    private TlsFatalAlert abort(String reason) {
        terms.fail(reason);
        return new TlsFatalAlert(AlertDescription.handshake_failure, reason);
    }
}
