package io.estuary.protocols.webrtc.sdp;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Jazzer fuzz target for the offer parser, followed through negotiation and the answer so that whatever the parser
 * lets through is also safe downstream. Without JAZZER_FUZZ it replays its seeds (the golden offers under
 * src/test/resources) as an ordinary test. The only acceptable failure is an {@link SdpException}.
 */
class SdpFuzzTest {
    private static final AnswerParams PARAMS = new AnswerParams("eStu", "k9Pw2dQx7LmZr4Tn8Vb1Hc0y",
            SdpGoldenTest.OUR_FINGERPRINT, List.of("candidate:1 1 udp 2130706431 127.0.0.1 8189 typ host"), 1);

    @FuzzTest(maxDuration = "30s")
    void offerToAnswer(byte[] input) {
        try {
            Negotiation negotiation = Negotiation.of(SdpOffer.parse(new String(input, StandardCharsets.UTF_8)));
            String answer = SdpAnswer.write(negotiation, PARAMS);
            // Nothing from the offer may break a line of the answer: every line ends with CRLF, none is empty.
            assertFalse(answer.replace("\r\n", "").contains("\r") || answer.replace("\r\n", "").contains("\n")
                    || answer.contains("\r\n\r\n"), "answer with a forged line break");
        } catch (SdpException expected) {
            // bad input is allowed to be refused
        }
    }
}
