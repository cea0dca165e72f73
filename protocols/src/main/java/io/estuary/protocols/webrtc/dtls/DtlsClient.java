package io.estuary.protocols.webrtc.dtls;

import java.io.IOException;
import java.util.Hashtable;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;

/**
 * Our DTLS client, used when the browser's offer said {@code a=setup:passive}. It offers both SRTP profiles and
 * presents our certificate when the server asks, which a WebRTC server always does.
 */
final class DtlsClient extends DefaultTlsClient {
    private final HandshakeTerms terms;
    private SrtpProfile profile;

    DtlsClient(HandshakeTerms terms) {
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
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        TlsSRTPUtils.addUseSRTPExtension(extensions,
                new UseSRTPData(HandshakeTerms.profileIds(), TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    /** The server must choose exactly one of the profiles we offered (RFC 5764 §4.1.1). */
    @Override
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData chosen = serverExtensions == null ? null : TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (chosen == null) {
            throw abort(AlertDescription.handshake_failure, "the DTLS server did not agree to SRTP (no use_srtp)");
        }
        int[] ids = chosen.getProtectionProfiles();
        if (ids.length != 1) {
            throw abort(AlertDescription.illegal_parameter,
                    "the DTLS server chose " + ids.length + " SRTP profiles instead of one");
        }
        profile = SrtpProfile.fromId(ids[0]).orElseThrow(() -> abort(AlertDescription.illegal_parameter,
                "the DTLS server chose SRTP profile 0x" + Integer.toHexString(ids[0]) + ", which we did not offer"));
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                terms.verifyPeer(serverCertificate.getCertificate());
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest certificateRequest) throws IOException {
                return terms.signer(context);
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        terms.exportKeys(context, profile);
    }

    private TlsFatalAlert abort(short alert, String reason) {
        terms.fail(reason);
        return new TlsFatalAlert(alert, reason);
    }
}
