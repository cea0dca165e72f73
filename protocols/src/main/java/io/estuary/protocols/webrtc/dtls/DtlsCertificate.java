package io.estuary.protocols.webrtc.dtls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * Our self-signed ECDSA P-256 certificate for DTLS. Nobody checks its issuer: WebRTC authenticates it by the
 * fingerprint we put in the SDP answer (RFC 8122), so the certificate only has to be valid and fresh. P-256 with
 * SHA-256 is what browsers generate and accept by default, and its signatures are cheap.
 */
public final class DtlsCertificate {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    // Back-dated so that a peer whose clock runs behind still sees the certificate as valid.
    private static final Duration BACKDATE = Duration.ofDays(30);
    private static final Duration LIFETIME = Duration.ofDays(365);

    private final AsymmetricKeyParameter privateKey;
    private final byte[] encoded;
    private final String fingerprintSha256;

    private DtlsCertificate(AsymmetricKeyParameter privateKey, byte[] encoded) {
        this.privateKey = privateKey;
        this.encoded = encoded;
        this.fingerprintSha256 = PeerFingerprint.format(PeerFingerprint.digest("sha-256", encoded));
    }

    /** A fresh key pair and certificate: CN=estuary, random 64-bit serial, valid 30 days back to a year ahead. */
    public static DtlsCertificate generate() {
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(ECNamedDomainParameters.lookup(SECObjectIdentifiers.secp256r1),
                RANDOM));
        AsymmetricCipherKeyPair keyPair = generator.generateKeyPair();

        Instant now = Instant.now();
        X500Name name = new X500Name("CN=estuary");
        try {
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name,
                    new BigInteger(64, RANDOM), Date.from(now.minus(BACKDATE)), Date.from(now.plus(LIFETIME)),
                    name, SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(keyPair.getPublic()));
            AlgorithmIdentifier signature = new DefaultSignatureAlgorithmIdentifierFinder().find(SIGNATURE_ALGORITHM);
            AlgorithmIdentifier digest = new DefaultDigestAlgorithmIdentifierFinder().find(signature);
            byte[] encoded = builder.build(new BcECContentSignerBuilder(signature, digest).build(keyPair.getPrivate()))
                    .getEncoded();
            return new DtlsCertificate(keyPair.getPrivate(), encoded);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the DTLS certificate", e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("BouncyCastle cannot sign with " + SIGNATURE_ALGORITHM, e);
        }
    }

    /** The SHA-256 fingerprint for {@code a=fingerprint:sha-256}, upper-case hex pairs joined by colons. */
    public String fingerprintSha256() {
        return fingerprintSha256;
    }

    /** The certificate in DER. */
    public byte[] encoded() {
        return encoded.clone();
    }

    AsymmetricKeyParameter privateKey() {
        return privateKey;
    }

    Certificate tlsCertificate(BcTlsCrypto crypto) throws IOException {
        return new Certificate(new TlsCertificate[] {crypto.createCertificate(encoded)});
    }
}
