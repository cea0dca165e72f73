package io.estuary.packager.drm.keys;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** A CPIX request as a test key server reads it: its headers and the parts of the document checked. */
record CpixRequest(String method, com.sun.net.httpserver.Headers headers, String contentId, String version,
        UUID kid, String scheme, List<UUID> systemIds, List<UUID> otherKids) {

    private static final String CPIX = "urn:dashif:org:cpix";

    String header(String name) {
        return headers.getFirst(name);
    }

    static CpixRequest parse(HttpExchange exchange) throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            Element root = f.newDocumentBuilder().parse(exchange.getRequestBody()).getDocumentElement();
            if (!CPIX.equals(root.getNamespaceURI()) || !"CPIX".equals(root.getLocalName())
                    || !"urn:ietf:params:xml:ns:keyprov:pskc".equals(root.lookupNamespaceURI("pskc"))) {
                throw new IOException("not a CPIX request: " + root.getNamespaceURI() + " " + root.getLocalName());
            }
            NodeList keys = root.getElementsByTagNameNS(CPIX, "ContentKey");
            if (keys.getLength() != 1) {
                throw new IOException(keys.getLength() + " content keys asked for");
            }
            Element key = (Element) keys.item(0);
            List<UUID> systems = new ArrayList<>();
            List<UUID> kids = new ArrayList<>();
            NodeList drm = root.getElementsByTagNameNS(CPIX, "DRMSystem");
            for (int i = 0; i < drm.getLength(); i++) {
                systems.add(UUID.fromString(((Element) drm.item(i)).getAttribute("systemId")));
                kids.add(UUID.fromString(((Element) drm.item(i)).getAttribute("kid")));
            }
            NodeList rules = root.getElementsByTagNameNS(CPIX, "ContentKeyUsageRule");
            for (int i = 0; i < rules.getLength(); i++) {
                kids.add(UUID.fromString(((Element) rules.item(i)).getAttribute("kid")));
            }
            return new CpixRequest(exchange.getRequestMethod(), exchange.getRequestHeaders(),
                    root.getAttribute("contentId"), root.getAttribute("version"),
                    UUID.fromString(key.getAttribute("kid")), key.getAttribute("commonEncryptionScheme"), systems,
                    kids.stream().distinct().toList());
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("unreadable CPIX request", e);
        }
    }
}
