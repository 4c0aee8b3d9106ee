package dev.sluice.batches;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Http;
import dev.sluice.testing.RawHttp;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Batches being read and checked are few for the whole gateway ({@link BatchesEndpoint#MAX_CREATING}), so one key may
 * hold one of them at a time: a key sending its batches' bodies slowly (up to the body timeout each) cannot keep
 * every other key's create at a 429.
 */
class BatchCreateShareTest {
    private static final String OTHER_KEY = "sk-sluice-share-other-0123";
    private static final Path DATA = dir();

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server: {port: 0, event-loops: 1, body-timeout: 20s}
            auth:
              keys: ["${GATEWAY_KEY}", "%s"]
            store: {data-dir: "%s"}
            upstreams:
              - name: sim
                base-url: ${SIM_URL}
                keys: [{alias: primary, value: "${UPSTREAM_KEY}"}]
            routes:
              - {match: "*", upstream: sim}
            """.formatted(OTHER_KEY, DATA));

    private static RawHttp slowCreate() throws Exception {
        RawHttp raw = RawHttp.connect(SLUICE.gatewayPort());
        raw.head("POST", "/v1/messages/batches", "content-length", "100000");
        raw.write("{\"requests\": [".getBytes(StandardCharsets.UTF_8)); // and then nothing, for as long as the timeout allows
        return raw;
    }

    @Test
    void oneKeysSlowCreatesTakeOneSlotAndAnotherKeyStillCreates() throws Exception {
        assertThat(Runtime.getRuntime().maxMemory()).as("two slots need eight body limits of heap").isGreaterThanOrEqualTo(8L << 25);
        try (RawHttp first = slowCreate(); RawHttp second = slowCreate()) {
            Thread.sleep(300);
            HttpResponse<String> theirs = Http.post(SLUICE.gatewayUrl(), "/v1/messages/batches", """
                    {"requests": [{"custom_id": "a", "params": {"model": "%s", "max_tokens": 16,
                      "messages": [{"role": "user", "content": "Hi"}]}}]}""".formatted(SluiceHarness.MODEL), "x-api-key", OTHER_KEY);
            assertThat(theirs.statusCode()).as(theirs.body()).isEqualTo(200);

            // The same key's other create is refused at once, retryably, in Anthropic's envelope. Which of the two the
            // gateway read first is the kernel's choice (both connections become readable together), so either may be.
            RawHttp refused = null;
            for (int i = 0; i < 25 && refused == null; i++) {
                refused = first.answeredWithin(100) ? first : second.answeredWithin(100) ? second : null;
            }
            assertThat(refused).as("one of the key's two creates is answered within 5 s").isNotNull();
            RawHttp holding = refused == second ? first : second;
            assertThat(holding.answeredWithin(200)).as("the other still holds its place, reading").isFalse();
            assertThat(refused.readHead()).isEqualTo(429);
            assertThat(refused.header("retry-after")).isNotNull();
            assertThat(Http.json(refused.readBodyText()).at("/error/type").asText()).isEqualTo("rate_limit_error");
        }
    }

    private static Path dir() {
        try {
            return Files.createTempDirectory("sluice-batch-share");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
