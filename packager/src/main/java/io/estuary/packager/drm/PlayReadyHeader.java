package io.estuary.packager.drm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The PlayReady Object (PRO) and the PlayReady Header (WRMHEADER) inside it, after Microsoft's PlayReady Header
 * Specification: the PRO is a little-endian length, a record count (1) and one record of type 1 holding the
 * header as UTF-16LE XML. The PRO is the data of PlayReady's {@code pssh}, the DASH {@code mspr:pro} and the
 * HLS key data.
 *
 * <p>{@code cenc} writes header version 4.0.0.0, which every PlayReady client reads, with the key checksum that
 * PlayReady 1.x clients require; {@code cbcs} needs 4.3.0.0 (PlayReady 4.0 and later), the first version with
 * {@code ALGID="AESCBC"}, which has no checksum. Element order and alphabetical attribute order follow the
 * specification's canonical form.
 *
 * <p>The classic pitfall: the header's KID is the key ID as a Windows GUID (a little-endian DWORD, two
 * little-endian WORDs, then eight bytes as they are), not the 16 bytes of {@code tenc}'s default_KID.
 */
public final class PlayReadyHeader {

    private static final String NAMESPACE = "http://schemas.microsoft.com/DRM/2007/03/PlayReadyHeader";
    private static final int RECORD_TYPE_HEADER = 1;

    private PlayReadyHeader() {
    }

    /** The PlayReady Object for a key under a scheme, with a license acquisition URL or none ({@code null}). */
    public static byte[] object(ContentKey key, EncryptionScheme scheme, String licenseUrl) {
        byte[] xml = header(key, scheme, licenseUrl).getBytes(StandardCharsets.UTF_16LE);
        if (xml.length > 0xffff - 10) {
            throw new IllegalArgumentException("PlayReady header too long: " + xml.length + " bytes");
        }
        ByteBuffer pro = ByteBuffer.allocate(10 + xml.length).order(ByteOrder.LITTLE_ENDIAN);
        pro.putInt(10 + xml.length); // length of the whole object
        pro.putShort((short) 1); // record count
        pro.putShort((short) RECORD_TYPE_HEADER);
        pro.putShort((short) xml.length);
        pro.put(xml);
        return pro.array();
    }

    /** The PlayReady Object of a stream: its key, its scheme and PlayReady's license URL if configured. */
    public static byte[] object(StreamProtection protection) {
        return object(protection.key(), protection.scheme(), protection.licenseUrl(DrmSystem.PLAYREADY));
    }

    /** The WRMHEADER XML. */
    public static String header(ContentKey key, EncryptionScheme scheme, String licenseUrl) {
        String kid = Base64.getEncoder().encodeToString(guidBytes(key.kid()));
        String laUrl = licenseUrl == null ? "" : "<LA_URL>" + escape(licenseUrl) + "</LA_URL>";
        return switch (scheme) {
            case CENC -> "<WRMHEADER xmlns=\"" + NAMESPACE + "\" version=\"4.0.0.0\"><DATA>"
                    + "<PROTECTINFO><KEYLEN>16</KEYLEN><ALGID>AESCTR</ALGID></PROTECTINFO>"
                    + "<KID>" + kid + "</KID><CHECKSUM>" + checksum(key) + "</CHECKSUM>"
                    + laUrl + "</DATA></WRMHEADER>";
            case CBCS -> "<WRMHEADER xmlns=\"" + NAMESPACE + "\" version=\"4.3.0.0\"><DATA>"
                    + "<PROTECTINFO><KIDS><KID ALGID=\"AESCBC\" VALUE=\"" + kid + "\"></KID></KIDS></PROTECTINFO>"
                    + laUrl + "</DATA></WRMHEADER>";
        };
    }

    /** The key ID in GUID byte order: the first 4, next 2 and next 2 bytes reversed, the last 8 as they are. */
    static byte[] guidBytes(byte[] kid) {
        byte[] g = kid.clone();
        reverse(g, 0, 4);
        reverse(g, 4, 2);
        reverse(g, 6, 2);
        return g;
    }

    /**
     * The AESCTR key checksum: the GUID-ordered key ID encrypted with the content key (AES-ECB), first 8 bytes,
     * base64. It lets a client notice a key that does not belong to the content.
     */
    static String checksum(ContentKey key) {
        try {
            Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key.key(), "AES"));
            byte[] block = ecb.doFinal(guidBytes(key.kid()));
            return Base64.getEncoder().encodeToString(Arrays.copyOf(block, 8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/ECB failed", e);
        }
    }

    private static void reverse(byte[] b, int from, int length) {
        for (int i = 0; i < length / 2; i++) {
            byte t = b[from + i];
            b[from + i] = b[from + length - 1 - i];
            b[from + length - 1 - i] = t;
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
