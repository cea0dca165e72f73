package io.estuary.protocols.webrtc.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** The certificate as the JDK's own X.509 parser sees it, and the fingerprint syntax of RFC 8122. */
class DtlsCertificateTest {

    @Test
    void aSelfSignedP256CertificateValidNowForAboutAYear() throws Exception {
        DtlsCertificate certificate = DtlsCertificate.generate();
        X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificate.encoded()));

        assertEquals("CN=estuary", x509.getSubjectX500Principal().getName());
        assertEquals(x509.getSubjectX500Principal(), x509.getIssuerX500Principal());
        assertEquals("SHA256withECDSA", x509.getSigAlgName());
        x509.verify(x509.getPublicKey()); // self-signed: throws if the signature is wrong
        assertEquals(256, ((ECPublicKey) x509.getPublicKey()).getParams().getCurve().getField().getFieldSize());
        x509.checkValidity();
        Instant now = Instant.now();
        assertTrue(x509.getNotBefore().toInstant().isBefore(now.minus(Duration.ofDays(29))));
        assertTrue(x509.getNotAfter().toInstant().isAfter(now.plus(Duration.ofDays(364))));
        assertNotEquals(x509.getSerialNumber(), serial(DtlsCertificate.generate()));
    }

    @Test
    void fingerprintIsTheUpperCaseColonSeparatedSha256OfTheDer() throws Exception {
        DtlsCertificate certificate = DtlsCertificate.generate();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.encoded());
        String fingerprint = certificate.fingerprintSha256();
        assertEquals(HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest), fingerprint);
        assertTrue(fingerprint.matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), fingerprint);
    }

    @Test
    void peerFingerprintsAreParsedStrictly() {
        String good = DtlsCertificate.generate().fingerprintSha256();
        PeerFingerprint.parse("sha-256", good);
        PeerFingerprint.parse("SHA-256", good.toLowerCase());

        assertReason("unsupported fingerprint hash function 'sha-1'", "sha-1", good);
        assertReason("a sha-384 fingerprint has 48 bytes", "sha-384", good);
        assertReason("got 94 characters", "sha-256", good.substring(1));
        assertReason("separated by ':'", "sha-256", good.replace(':', '-'));
        assertReason("not hexadecimal at character 0", "sha-256", "ZZ" + good.substring(2));
        assertReason("no certificate fingerprint", "sha-256", null);
        // A huge value is refused on its length, without being split or decoded.
        assertReason("got 1000000 characters", "sha-256", "A".repeat(1_000_000));
    }

    private static void assertReason(String expected, String algorithm, String fingerprint) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PeerFingerprint.parse(algorithm, fingerprint));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static Object serial(DtlsCertificate certificate) throws Exception {
        return ((X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificate.encoded()))).getSerialNumber();
    }
}
