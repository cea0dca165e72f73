package io.estuary.protocols.webrtc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SdpCandidateTest {

    @Test
    void parsesTheMdnExampleHostCandidate() throws Exception {
        // developer.mozilla.org, RTCIceCandidate.candidate: "a=candidate:4234997325 1 udp 2043278322 192.0.2.172 44323 typ host"
        SdpCandidate c = SdpCandidate.parse("a=candidate:4234997325 1 udp 2043278322 192.0.2.172 44323 typ host");
        assertEquals(new SdpCandidate("4234997325", 1, "udp", 2043278322L, "192.0.2.172", 44323, "host",
                Optional.empty(), OptionalInt.empty()), c);
        assertTrue(c.isUdp());
        assertFalse(c.isMdns());
        assertEquals(Optional.of(InetAddress.getByName("192.0.2.172")), c.ipAddress());
        assertEquals("candidate:4234997325 1 udp 2043278322 192.0.2.172 44323 typ host", c.toAttributeValue());
    }

    @Test
    void parsesServerReflexiveWithRelatedAddressAndDropsExtensions() {
        // RFC 8445 section 5.1.2.1: srflx type preference 100, component 1: 100 << 24 | 65535 << 8 | 255 = 1694498815
        SdpCandidate c = SdpCandidate.parse(
                "candidate:842163049 1 udp 1694498815 203.0.113.7 61044 typ srflx raddr 10.0.0.5 rport 61044 "
                        + "generation 0 ufrag 8hhY network-id 1 network-cost 10");
        assertEquals("srflx", c.type());
        assertEquals(1694498815L, c.priority());
        assertEquals(Optional.of("10.0.0.5"), c.relatedAddress());
        assertEquals(OptionalInt.of(61044), c.relatedPort());
        assertEquals("candidate:842163049 1 udp 1694498815 203.0.113.7 61044 typ srflx raddr 10.0.0.5 rport 61044",
                c.toAttributeValue());
    }

    @Test
    void keepsMdnsNamesUnresolved() {
        SdpCandidate c = SdpCandidate.parse("candidate:2395300328 1 udp 2113937151 "
                + "9d3f5c4c-7d4e-4b7c-9a2a-1a2b3c4d5e6f.local 56012 typ host generation 0 network-cost 999");
        assertTrue(c.isMdns());
        assertEquals(Optional.empty(), c.ipAddress());
    }

    @Test
    void parsesIpv6AndTcp() {
        SdpCandidate v6 = SdpCandidate.parse("candidate:1 1 UDP 2122262783 2001:db8::1 50000 typ host");
        assertEquals("2001:db8:0:0:0:0:0:1", v6.ipAddress().orElseThrow().getHostAddress());
        SdpCandidate tcp = SdpCandidate.parse("candidate:3 1 tcp 1518280447 192.0.2.9 9 typ host tcptype active");
        assertFalse(tcp.isUdp());
    }

    @Test
    void refusesMalformedInputWithAReason() {
        String[] bad = {
            "candidate:1 1 udp 1 192.0.2.1 1 typ",                 // too few fields
            "candid:1 1 udp 1 192.0.2.1 1 typ host",               // wrong prefix
            "candidate:1 0 udp 1 192.0.2.1 1 typ host",            // component 0
            "candidate:1 257 udp 1 192.0.2.1 1 typ host",          // component > 256
            "candidate:1 1 udp 0 192.0.2.1 1 typ host",            // priority 0
            "candidate:1 1 udp 99999999999 192.0.2.1 1 typ host",  // priority > 2^32-1 (11 digits)
            "candidate:1 1 udp 1 192.0.2.1 65536 typ host",        // port
            "candidate:1 1 udp 1 256.0.0.1 1 typ host",            // octet
            "candidate:1 1 udp 1 192.0.2.1 1 type host",           // 'typ'
            "candidate:1 1 udp 1 192.0.2.1 1 typ bogus",           // type
            "candidate:1 1 udp 1 192.0.2.1 1 typ host generation", // extension without value
            "candidate:1 1 udp 1 ex_ample.com 1 typ host",         // not a host name
            "candidate:1 1 udp 1 192.0.2.1  1 typ host",           // double space
            "candidate:" + "a".repeat(33) + " 1 udp 1 192.0.2.1 1 typ host", // foundation > 32
        };
        for (String s : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SdpCandidate.parse(s), s);
            assertFalse(e.getMessage().isBlank());
        }
    }

    @Test
    void refusesOversizedInputUnread() {
        String huge = "candidate:1 1 udp 1 192.0.2.1 1 typ host" + " x y".repeat(400);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SdpCandidate.parse(huge));
        assertTrue(e.getMessage().contains("more than " + SdpCandidate.MAX_LENGTH), e.getMessage());
    }

    @FuzzTest(maxDuration = "30s")
    void parseNeverFailsOtherwise(byte[] input) {
        try {
            SdpCandidate c = SdpCandidate.parse(new String(input, java.nio.charset.StandardCharsets.ISO_8859_1));
            // Whatever parses must format to something that parses back the same, minus extensions.
            SdpCandidate again = SdpCandidate.parse(c.toAttributeValue());
            assertEquals(c.toAttributeValue(), again.toAttributeValue());
        } catch (IllegalArgumentException expected) {
            // bad input is allowed to be refused
        }
    }
}
