package io.estuary.protocols.webrtc.ice;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * One SDP {@code candidate} attribute value (RFC 8839 section 5.1), e.g.
 * {@code candidate:1 1 udp 2122260223 192.168.1.2 54321 typ host generation 0}.
 *
 * <p>Parsing never resolves a name: an FQDN (a Chromium mDNS {@code .local} name included) is kept as text and
 * {@link #ipAddress()} is empty for it. Extensions after the type ({@code generation}, {@code network-id}, ...) are
 * accepted and dropped: ICE does not need them.
 *
 * @param relatedAddress {@code raddr}, when present
 * @param relatedPort {@code rport}, when present
 */
public record SdpCandidate(String foundation, int componentId, String transport, long priority, String address,
        int port, String type, Optional<String> relatedAddress, OptionalInt relatedPort) {

    /** Far above any real candidate line (Chromium's are under 200 characters); longer input is refused unread. */
    public static final int MAX_LENGTH = 1024;

    private static final String PREFIX = "candidate:";
    private static final Pattern FOUNDATION = Pattern.compile("[A-Za-z0-9+/]{1,32}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,10}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9!#$%&'*+\\-.^_`{|}~]{1,32}");
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    /** RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens. */
    private static final Pattern FQDN =
            Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    /**
     * Parses an attribute value, with or without a leading {@code a=} (WHIP PATCH bodies carry whole SDP lines).
     *
     * @throws IllegalArgumentException naming what is wrong, for anything outside the RFC 8839 grammar
     */
    public static SdpCandidate parse(String attribute) {
        if (attribute == null) {
            throw new IllegalArgumentException("candidate attribute is null");
        }
        if (attribute.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "candidate attribute is " + attribute.length() + " characters, more than " + MAX_LENGTH);
        }
        String value = attribute.strip();
        if (value.startsWith("a=")) {
            value = value.substring(2);
        }
        if (!value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new IllegalArgumentException("not a candidate attribute: does not start with 'candidate:'");
        }
        String[] f = value.substring(PREFIX.length()).split(" ", -1);
        if (f.length < 8) {
            throw new IllegalArgumentException("candidate has " + f.length + " fields, at least 8 are required");
        }
        String foundation = match(FOUNDATION, f[0], "foundation");
        int componentId = (int) number(f[1], "component-id", 1, 256);
        String transport = match(TOKEN, f[2], "transport");
        long priority = number(f[3], "priority", 1, 0xFFFF_FFFFL);
        String address = connectionAddress(f[4], "connection-address");
        int port = (int) number(f[5], "port", 0, 65535);
        if (!f[6].equals("typ")) {
            throw new IllegalArgumentException("expected 'typ' after the port, got '" + abbreviate(f[6]) + "'");
        }
        String type = f[7].toLowerCase(Locale.ROOT);
        if (!type.equals("host") && !type.equals("srflx") && !type.equals("prflx") && !type.equals("relay")) {
            throw new IllegalArgumentException("unknown candidate type '" + abbreviate(f[7]) + "'");
        }
        Optional<String> relatedAddress = Optional.empty();
        OptionalInt relatedPort = OptionalInt.empty();
        int i = 8;
        if (i + 1 < f.length && f[i].equals("raddr")) {
            relatedAddress = Optional.of(connectionAddress(f[i + 1], "raddr"));
            i += 2;
        }
        if (i + 1 < f.length && f[i].equals("rport")) {
            relatedPort = OptionalInt.of((int) number(f[i + 1], "rport", 0, 65535));
            i += 2;
        }
        // The rest are extension name/value pairs; only their shape is checked.
        if ((f.length - i) % 2 != 0) {
            throw new IllegalArgumentException("candidate extension '" + abbreviate(f[f.length - 1]) + "' has no value");
        }
        for (; i < f.length; i += 2) {
            if (f[i].isEmpty() || f[i + 1].isEmpty()) {
                throw new IllegalArgumentException("empty field in candidate extensions (double space?)");
            }
        }
        return new SdpCandidate(foundation, componentId, transport, priority, address, port, type, relatedAddress,
                relatedPort);
    }

    /** The attribute value, without {@code a=}: {@code candidate:<foundation> <component> <transport> ...}. */
    public String toAttributeValue() {
        StringBuilder sb = new StringBuilder(PREFIX).append(foundation).append(' ').append(componentId).append(' ')
                .append(transport).append(' ').append(priority).append(' ').append(address).append(' ').append(port)
                .append(" typ ").append(type);
        relatedAddress.ifPresent(a -> sb.append(" raddr ").append(a));
        relatedPort.ifPresent(p -> sb.append(" rport ").append(p));
        return sb.toString();
    }

    public boolean isUdp() {
        return transport.equalsIgnoreCase("udp");
    }

    /** A multicast DNS name (RFC 8839 allows FQDNs; browsers hide host addresses behind random {@code .local} names). */
    public boolean isMdns() {
        return address.toLowerCase(Locale.ROOT).endsWith(".local");
    }

    /** The connection address when it is an IP literal; empty for a name, which is never resolved here. */
    public Optional<InetAddress> ipAddress() {
        if (!IPV4.matcher(address).matches() && !address.contains(":")) {
            return Optional.empty();
        }
        try {
            // A literal (checked above) is parsed, not looked up.
            return Optional.of(InetAddress.getByName(address));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static String connectionAddress(String s, String field) {
        if (IPV4.matcher(s).matches()) {
            for (String octet : s.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    throw new IllegalArgumentException(field + " '" + s + "' is not an IPv4 address");
                }
            }
            return s;
        }
        if (s.contains(":")) {
            if (!IPV6.matcher(s).matches()) {
                throw new IllegalArgumentException(field + " '" + abbreviate(s) + "' is not an IPv6 address");
            }
            try {
                InetAddress.getByName(s); // a literal with ':' is parsed, never looked up
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(field + " '" + s + "' is not an IPv6 address", e);
            }
            return s;
        }
        if (s.length() <= 253 && FQDN.matcher(s).matches()) {
            return s;
        }
        throw new IllegalArgumentException(field + " '" + abbreviate(s) + "' is neither an IP address nor a host name");
    }

    private static String match(Pattern p, String s, String field) {
        if (!p.matcher(s).matches()) {
            throw new IllegalArgumentException("bad candidate " + field + " '" + abbreviate(s) + "'");
        }
        return s;
    }

    private static long number(String s, String field, long min, long max) {
        if (!DIGITS.matcher(s).matches()) {
            throw new IllegalArgumentException("candidate " + field + " '" + abbreviate(s) + "' is not a number");
        }
        long v = Long.parseLong(s);
        if (v < min || v > max) {
            throw new IllegalArgumentException("candidate " + field + " " + v + " is outside " + min + ".." + max);
        }
        return v;
    }

    /** Keeps error messages short whatever the input. */
    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
