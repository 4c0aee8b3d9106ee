package dev.sluice.guard.secrets;

import dev.sluice.guard.Rule;
import dev.sluice.guard.Severity;
import dev.sluice.guard.detect.Chars;
import dev.sluice.guard.detect.Detector;
import dev.sluice.guard.detect.Emitter;
import dev.sluice.guard.detect.Examples;
import dev.sluice.guard.detect.Keyword;
import dev.sluice.guard.detect.Text;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * A signed JSON Web Token: three base64url parts whose first decodes to a JSON header with an
 * {@code alg} other than {@code none} and whose second decodes to a JSON object. Any base64 of JSON starts
 * with {@code eyJ}, so the decoding is what tells a bearer token from test data; jwt.io's sample token is an example,
 * and a token that expired more than a day ago is a fixture, not a credential.
 */
public final class JsonWebToken implements Detector {
    static final Rule RULE = Rule.secret("jwt", Severity.MEDIUM, "A signed JSON Web Token (a bearer credential until it expires)");

    private static final int MAX_PART = 4096;

    @Override
    public List<Rule> rules() {
        return List.of(RULE);
    }

    @Override
    public List<Keyword> keywords() {
        return List.of(Keyword.exact("eyJ"));
    }

    @Override
    public int check(Text t, int keyword, int start, int end, Emitter out) {
        if (!Chars.boundaryBefore(t, start, Chars.Kind.BASE64URL)) {
            return end;
        }
        int headerEnd = Chars.run(t, start, MAX_PART, Chars.Kind.BASE64URL);
        if (headerEnd - start < 10 || headerEnd >= t.length() || t.at(headerEnd) != '.') {
            return headerEnd;
        }
        int payloadEnd = Chars.run(t, headerEnd + 1, MAX_PART, Chars.Kind.BASE64URL);
        if (payloadEnd - headerEnd - 1 < 10 || payloadEnd >= t.length() || t.at(payloadEnd) != '.') {
            return payloadEnd;
        }
        int signatureEnd = Chars.run(t, payloadEnd + 1, MAX_PART, Chars.Kind.BASE64URL);
        if (signatureEnd - payloadEnd - 1 < 16) {
            return signatureEnd;
        }
        String header = decode(t, start, headerEnd);
        String payload = decode(t, headerEnd + 1, payloadEnd);
        if (header == null || payload == null || !header.startsWith("{") || !header.contains("\"alg\"")
                || header.replace(" ", "").contains("\"alg\":\"none\"") || !payload.startsWith("{")) {
            return signatureEnd;
        }
        if (!Examples.known(t, start, signatureEnd) && !expired(payload)) {
            out.report(t, RULE, start, signatureEnd);
        }
        return signatureEnd;
    }

    /** A token whose {@code exp} passed more than a day ago opens nothing any more (test fixtures are full of them). */
    static boolean expired(String payload) {
        try {
            com.fasterxml.jackson.databind.JsonNode exp = dev.sluice.wire.Json.MAPPER.readTree(payload).get("exp");
            return exp != null && exp.isNumber() && exp.asLong() < java.time.Instant.now().getEpochSecond() - 86_400;
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    private static String decode(Text t, int from, int to) {
        try {
            byte[] raw = Base64.getUrlDecoder().decode(new String(t.bytes(), from, to - from, StandardCharsets.ISO_8859_1));
            return new String(raw, StandardCharsets.UTF_8).stripLeading();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
