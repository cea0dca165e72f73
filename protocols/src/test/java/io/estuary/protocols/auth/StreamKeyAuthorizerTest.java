package io.estuary.protocols.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.estuary.media.router.StreamKey;
import org.junit.jupiter.api.Test;

class StreamKeyAuthorizerTest {
    private final StreamKeyAuthorizer keyed = StreamKeyAuthorizer.from(ConfigFactory.parseString(
            "estuary.publish.keys { \"live/demo\" = \"SECRET\" }"));

    @Test
    void emptyConfigIsOpen() {
        StreamKeyAuthorizer open = StreamKeyAuthorizer.from(ConfigFactory.empty());
        assertTrue(open.isOpen());
        assertEquals(new PublishDecision.Allowed(new StreamKey("live", "x"), null), open.authorize("live", "x"));
        assertEquals(new PublishDecision.Allowed(new StreamKey("live", "x"), "k"), open.authorize("live", "x?key=k"));
        assertTrue(((PublishDecision.Refused) open.authorize("live", "../etc")).invalidName(),
                "a malformed name is told apart from a key problem");
        assertTrue(((PublishDecision.Refused) open.authorize("li ve", "x")).invalidName());
    }

    @Test
    void keysDecide() {
        assertFalse(keyed.isOpen());
        StreamKey demo = new StreamKey("live", "demo");
        assertEquals(new PublishDecision.Allowed(demo, "SECRET"), keyed.authorize("live", "demo?key=SECRET"));
        assertEquals(new PublishDecision.Allowed(demo, "SECRET"), keyed.authorize("live", "SECRET"));
        PublishDecision wrong = keyed.authorize("live", "demo?key=nope");
        assertEquals("wrong stream key for live/demo", ((PublishDecision.Refused) wrong).reason());
        assertFalse(((PublishDecision.Refused) wrong).invalidName());
        assertInstanceOf(PublishDecision.Refused.class, keyed.authorize("live", "demo"));
        PublishDecision unknown = keyed.authorize("live", "SECRET2");
        assertFalse(((PublishDecision.Refused) unknown).reason().contains("SECRET2"), "never echo a secret");
        assertInstanceOf(PublishDecision.Refused.class, keyed.authorize("other", "SECRET"));
        assertFalse(keyed.authorize("live", "SECRET").toString().contains("SECRET"));
    }

    @Test
    void badEntriesNameTheirKey() {
        ConfigException e = assertThrows(ConfigException.BadValue.class, () -> StreamKeyAuthorizer.from(
                ConfigFactory.parseString("estuary.publish.keys { \"nodash\" = \"s\" }")));
        assertTrue(e.getMessage().contains("estuary.publish.keys"), e.getMessage());
    }
}
