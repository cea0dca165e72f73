package io.estuary.server.http;

import java.util.regex.Pattern;

/** Host headers we may copy into a URL we hand out: a name or an address and a port, nothing that could break out. */
public final class HostHeader {

    private static final Pattern PLAIN =
            Pattern.compile("[A-Za-z0-9.\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+\\](:\\d{1,5})?");

    private HostHeader() {
    }

    public static boolean isPlain(String host) {
        return host != null && PLAIN.matcher(host).matches();
    }
}
