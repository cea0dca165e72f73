package io.estuary.packager.drm.keys;

import static io.estuary.packager.drm.keys.CpixRequestWriter.CPIX_NS;
import static io.estuary.packager.drm.keys.CpixRequestWriter.PSKC_NS;

import io.estuary.packager.drm.ContentKey;
import io.estuary.packager.drm.DrmSystem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads a key server's CPIX answer: the content key with the requested key ID (or the only one), its {@code
 * explicitIV} when given, and each known DRM system's signalling for it. The parser refuses any DOCTYPE, so no
 * entity of the answer is ever expanded or fetched (XXE). Failures say what is wrong, never a key.
 */
final class CpixResponseParser {

    private static final DocumentBuilderFactory FACTORY = secureFactory();

    private CpixResponseParser() {
    }

    static ProvidedKey parse(byte[] body, UUID requestedKid) {
        Element root = document(body).getDocumentElement();
        if (!CPIX_NS.equals(root.getNamespaceURI()) || !"CPIX".equals(root.getLocalName())) {
            throw new KeyProviderException("the answer is not a CPIX document (root element {"
                    + root.getNamespaceURI() + "}" + root.getLocalName() + ")");
        }
        Element contentKey = contentKey(root, requestedKid);
        UUID kid = uuid(contentKey.getAttribute("kid"), "ContentKey@kid");
        byte[] key = decode16(secret(contentKey, kid), "the PlainValue of key " + kid);
        String explicitIv = contentKey.getAttribute("explicitIV").trim();
        byte[] iv = explicitIv.isEmpty() ? KeyBytes.random16() : decode16(explicitIv, "ContentKey@explicitIV");
        return new ProvidedKey(new ContentKey(KeyBytes.uuidBytes(kid), key, iv), signalling(root, kid));
    }

    private static Document document(byte[] body) {
        try {
            DocumentBuilder builder;
            synchronized (FACTORY) {
                builder = FACTORY.newDocumentBuilder();
            }
            builder.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {
                }

                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return builder.parse(new ByteArrayInputStream(body));
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw new KeyProviderException("the answer is not well-formed XML: " + e.getMessage(), e);
        }
    }

    /** The requested key ID's ContentKey; a server that assigns its own key ID answers with exactly one. */
    private static Element contentKey(Element root, UUID requestedKid) {
        List<Element> keys = elements(root, CPIX_NS, "ContentKey");
        for (Element k : keys) {
            if (requestedKid.toString().equalsIgnoreCase(k.getAttribute("kid").trim())) {
                return k;
            }
        }
        if (keys.size() == 1) {
            return keys.get(0);
        }
        throw new KeyProviderException("the answer has " + keys.size() + " content keys and none with key ID "
                + requestedKid);
    }

    private static String secret(Element contentKey, UUID kid) {
        Element secret = child(child(contentKey, CPIX_NS, "Data"), PSKC_NS, "Secret");
        Element plain = child(secret, PSKC_NS, "PlainValue");
        if (plain == null && child(secret, PSKC_NS, "EncryptedValue") != null) {
            throw new KeyProviderException("key " + kid + " is encrypted (pskc:EncryptedValue with a document key),"
                    + " which this server does not support: have the key server answer with pskc:PlainValue,"
                    + " over HTTPS");
        }
        if (plain == null || plain.getTextContent().isBlank()) {
            throw new KeyProviderException("the answer has no key for key ID " + kid
                    + " (no ContentKey/Data/pskc:Secret/pskc:PlainValue)");
        }
        return plain.getTextContent();
    }

    private static Map<DrmSystem, DrmSignalling> signalling(Element root, UUID kid) {
        Map<UUID, DrmSystem> known = new HashMap<>();
        for (DrmSystem s : DrmSystem.values()) {
            known.put(s.systemId(), s);
        }
        Map<DrmSystem, DrmSignalling> result = new EnumMap<>(DrmSystem.class);
        for (Element d : elements(root, CPIX_NS, "DRMSystem")) {
            DrmSystem system = known.get(uuid(d.getAttribute("systemId"), "DRMSystem@systemId"));
            if (system == null || !kid.equals(uuid(d.getAttribute("kid"), "DRMSystem@kid"))) {
                continue; // a system we do not signal (HLS AES-128, ...) or another key's
            }
            String where = "the DRMSystem " + system.configName() + " ";
            String pssh = text(d, "PSSH");
            if (pssh != null) {
                byte[] box = decode(pssh, where + "PSSH");
                if (box.length < 8 || !"pssh".equals(new String(box, 4, 4, StandardCharsets.ISO_8859_1))) {
                    throw new KeyProviderException(where + "PSSH is not a pssh box");
                }
                pssh = Base64.getEncoder().encodeToString(box); // without the line breaks some servers wrap it in
            }
            Map<String, String> hls = new HashMap<>();
            for (Element h : elements(d, CPIX_NS, "HLSSignalingData")) {
                if (!h.getTextContent().isBlank()) {
                    String playlist = h.getAttribute("playlist").isBlank() ? "media" : h.getAttribute("playlist");
                    hls.put(playlist, utf8(h.getTextContent(), where + "HLSSignalingData"));
                }
            }
            String cpd = text(d, "ContentProtectionData");
            String uri = text(d, "URIExtXKey");
            result.put(system, new DrmSignalling(system, pssh,
                    cpd == null ? null : utf8(cpd, where + "ContentProtectionData"),
                    uri == null ? null : utf8(uri, where + "URIExtXKey"), hls));
        }
        return result;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, CPIX_NS, name);
        return e == null || e.getTextContent().isBlank() ? null : e.getTextContent();
    }

    private static Element child(Element parent, String ns, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && ns.equals(e.getNamespaceURI()) && name.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> elements(Element root, String ns, String name) {
        NodeList list = root.getElementsByTagNameNS(ns, name);
        List<Element> result = new ArrayList<>(list.getLength());
        for (int i = 0; i < list.getLength(); i++) {
            result.add((Element) list.item(i));
        }
        return result;
    }

    private static UUID uuid(String value, String what) {
        try {
            return UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            throw new KeyProviderException(what + " is not a UUID: '" + value + "'");
        }
    }

    private static byte[] decode(String base64, String what) {
        try {
            return Base64.getMimeDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new KeyProviderException(what + " is not base64");
        }
    }

    private static byte[] decode16(String base64, String what) {
        byte[] bytes = decode(base64, what);
        if (bytes.length != 16) {
            throw new KeyProviderException(what + " is " + bytes.length + " bytes, not 16");
        }
        return bytes;
    }

    private static String utf8(String base64, String what) {
        return new String(decode(base64, what), StandardCharsets.UTF_8);
    }

    private static DocumentBuilderFactory secureFactory() {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        try {
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the XML parser cannot be made safe against external entities", e);
        }
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return f;
    }
}
