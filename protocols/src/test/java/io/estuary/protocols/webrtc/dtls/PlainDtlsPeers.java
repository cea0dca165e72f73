package io.estuary.protocols.webrtc.dtls;

import java.io.IOException;
import java.util.Arrays;
import java.util.Hashtable;

import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * Stand-ins for the browser's DTLS stack, configured directly on BouncyCastle and sharing no code with
 * {@link DtlsEndpoint}'s peers: they offer or choose SRTP profiles as told, present a certificate, and derive the
 * SRTP keys by splitting the exporter output themselves (RFC 5764 §4.2), so the tests compare two derivations.
 */
final class PlainDtlsPeers {
    private PlainDtlsPeers() {
    }

    /** A DTLS client offering {@code profiles}; after the handshake {@link #keys} holds what it derived. */
    static final class Client extends DefaultTlsClient {
        private final DtlsCertificate certificate;
        private final int[] profiles;
        volatile byte[] peerCertificate;
        volatile SrtpKeys keys;
        private int chosen;

        Client(BcTlsCrypto crypto, DtlsCertificate certificate, int... profiles) {
            super(crypto);
            this.certificate = certificate;
            this.profiles = profiles;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        public Hashtable getClientExtensions() throws IOException {
            Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
            TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(profiles, TlsUtils.EMPTY_BYTES));
            return extensions;
        }

        @Override
        public void processServerExtensions(Hashtable serverExtensions) throws IOException {
            super.processServerExtensions(serverExtensions);
            chosen = TlsSRTPUtils.getUseSRTPExtension(serverExtensions).getProtectionProfiles()[0];
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                    peerCertificate = serverCertificate.getCertificate().getCertificateAt(0).getEncoded();
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest certificateRequest) throws IOException {
                    return signer(context, (BcTlsCrypto) getCrypto(), certificate);
                }
            };
        }

        @Override
        public void notifyHandshakeComplete() {
            keys = export(context, chosen);
        }
    }

    /** A DTLS server choosing {@code profile} whatever the client offers, and asking for a client certificate. */
    static final class Server extends DefaultTlsServer {
        private final DtlsCertificate certificate;
        private final int profile;
        volatile byte[] peerCertificate;
        volatile SrtpKeys keys;

        Server(BcTlsCrypto crypto, DtlsCertificate certificate, int profile) {
            super(crypto);
            this.certificate = certificate;
            this.profile = profile;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        /** BouncyCastle's server defaults have no ECDSA suites; a browser's DTLS server has these. */
        @Override
        protected int[] getSupportedCipherSuites() {
            return new int[] {
                CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
                CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            };
        }

        @Override
        protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
            return signer(context, (BcTlsCrypto) getCrypto(), certificate);
        }

        @Override
        public CertificateRequest getCertificateRequest() {
            return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign},
                    TlsUtils.getDefaultSupportedSignatureAlgorithms(context), null);
        }

        @Override
        public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
            peerCertificate = clientCertificate.getCertificateAt(0).getEncoded();
        }

        @Override
        public Hashtable getServerExtensions() throws IOException {
            Hashtable extensions = super.getServerExtensions();
            TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {profile}, TlsUtils.EMPTY_BYTES));
            return extensions;
        }

        @Override
        public void notifyHandshakeComplete() {
            keys = export(context, profile);
        }
    }

    private static TlsCredentialedSigner signer(TlsContext context, BcTlsCrypto crypto, DtlsCertificate certificate)
            throws IOException {
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                certificate.privateKey(), certificate.tlsCertificate(crypto), HandshakeTerms.SIGNATURE);
    }

    /** RFC 5764 §4.2: client_write_SRTP_master_key, server_..._key, client_..._salt, server_..._salt. */
    private static SrtpKeys export(TlsContext context, int profileId) {
        SrtpProfile profile = SrtpProfile.fromId(profileId).orElseThrow();
        int k = profile.keyLength();
        int s = profile.saltLength();
        byte[] m = context.exportKeyingMaterial("EXTRACTOR-dtls_srtp", null, 2 * (k + s));
        return new SrtpKeys(profile, Arrays.copyOfRange(m, 0, k), Arrays.copyOfRange(m, 2 * k, 2 * k + s),
                Arrays.copyOfRange(m, k, 2 * k), Arrays.copyOfRange(m, 2 * k + s, 2 * k + 2 * s));
    }
}
