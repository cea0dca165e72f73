package io.estuary.server.e2e.support;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/** DOM helpers for the MPD checks: a hardened parser, namespace-aware child lookup, and the schema's child order. */
final class MpdDom {

    /**
     * Child element order of the types the MPD checks walk, from the ISO/IEC 23009-1 schema (DASH-MPD.xsd, 5th
     * edition: xs:sequence, so order is part of validity). Elements not listed (other namespaces, newer additions)
     * are not ordered. RepresentationBase's elements come first in AdaptationSet and Representation.
     */
    private static final List<String> REPRESENTATION_BASE = List.of("FramePacking", "AudioChannelConfiguration",
            "ContentProtection", "OutputProtection", "EssentialProperty", "SupplementalProperty", "InbandEventStream",
            "Switching", "RandomAccess", "GroupLabel", "Label", "ProducerReferenceTime", "ContentPopularityRate",
            "Resync");
    static final Map<String, List<String>> ORDER = Map.of(
            "MPD", List.of("ProgramInformation", "BaseURL", "Location", "PatchLocation", "ServiceDescription",
                    "InitializationSet", "InitializationGroup", "InitializationPresentation", "ContentProtection",
                    "Period", "Metrics", "EssentialProperty", "SupplementalProperty", "UTCTiming",
                    "LeapSecondInformation"),
            "Period", List.of("BaseURL", "SegmentBase", "SegmentList", "SegmentTemplate", "AssetIdentifier",
                    "EventStream", "ServiceDescription", "ContentProtection", "AdaptationSet", "Subset",
                    "SupplementalProperty", "EmptyAdaptationSet", "GroupLabel", "Preselection"),
            "AdaptationSet", concat(REPRESENTATION_BASE, List.of("Accessibility", "Role", "Rating", "Viewpoint",
                    "ContentComponent", "BaseURL", "SegmentBase", "SegmentList", "SegmentTemplate", "Representation")),
            "Representation", concat(REPRESENTATION_BASE, List.of("BaseURL", "ExtendedBandwidth", "SubRepresentation",
                    "SegmentBase", "SegmentList", "SegmentTemplate")),
            "SegmentTemplate", List.of("Initialization", "RepresentationIndex", "FailoverContent", "SegmentTimeline",
                    "BitstreamSwitching"),
            "ServiceDescription", List.of("Scope", "Latency", "PlaybackRate", "OperatingQuality",
                    "OperatingBandwidth", "ContentSteering", "ClientDataReporting"));

    private MpdDom() {
    }

    /** Parses with DTDs refused: an MPD never has one, and refusing it rules out entity expansion. */
    static Document parse(String xml) throws IOException, SAXException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            // The exception carries the message; the default handler would also print "[Fatal Error]" to stderr.
            b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
                @Override
                public void fatalError(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void error(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return b.parse(new InputSource(new StringReader(xml)));
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Child elements named {@code local} in namespace {@code ns}. */
    static List<Element> children(Element parent, String ns, String local) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && local.equals(e.getLocalName()) && sameNs(ns, e.getNamespaceURI())) {
                out.add(e);
            }
        }
        return out;
    }

    static Element child(Element parent, String ns, String local) {
        List<Element> all = children(parent, ns, local);
        return all.isEmpty() ? null : all.get(0);
    }

    /** The attribute's value, or null when absent (DOM's getAttribute answers "" for both). */
    static String attr(Element e, String name) {
        if (e == null) {
            return null;
        }
        Attr a = e.getAttributeNode(name);
        return a == null ? null : a.getValue();
    }

    /** The first non-null value of {@code name} from the most specific element to the least (attribute inheritance). */
    static String inherited(String name, Element... mostSpecificFirst) {
        for (Element e : mostSpecificFirst) {
            String v = attr(e, name);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** Reports children of {@code e} (in {@code ns}) that appear out of the schema's sequence order. */
    static void checkOrder(Element e, String ns, String where, List<String> problems) {
        List<String> order = ORDER.get(e.getLocalName());
        if (order == null) {
            return;
        }
        int highest = -1;
        String highestName = null;
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element c) || !sameNs(ns, c.getNamespaceURI())) {
                continue;
            }
            int rank = order.indexOf(c.getLocalName());
            if (rank < 0) {
                continue;
            }
            if (rank < highest) {
                problems.add(where + ": " + c.getLocalName() + " after " + highestName
                        + " (the schema orders " + e.getLocalName() + "'s children " + order + ")");
            } else {
                highest = rank;
                highestName = c.getLocalName();
            }
        }
    }

    private static boolean sameNs(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }
}
