package dev.sluice.front.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The item store's bounds come from {@code responses.item-store}, and what references bring in counts against
 * {@code server.body-limit} with the body that names them: a gateway configured to keep one item forgets the older of
 * two answers' items, and a body that fits the limit on its own but not with its referenced item is refused with a 413
 * in OpenAI's envelope, as an oversized body is, before anything is forwarded.
 */
class ItemReferenceLimitsThroughGatewayTest {
    private static final int LIMIT = 16 * 1024;

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig(SluiceHarness.BASE_YAML
            .replace("  event-loops: 1\n", "  event-loops: 1\n  body-limit: " + LIMIT + "\n")
            + "responses:\n  item-store: {max-items: 1}\n");

    private static HttpResponse<String> post(String body) {
        return Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + "/v1/responses")).timeout(Duration.ofSeconds(20))
                .header("authorization", "Bearer " + SluiceHarness.GATEWAY_KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** A kept answer's message item id. */
    private static String answered(String question) {
        HttpResponse<String> r = post("{\"model\":\"claude-sonnet-4-5\",\"max_output_tokens\":50,\"input\":" + Http.quote(question) + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode response = Http.json(r.body());
        assertThat(response.path("store").asBoolean()).isTrue();
        return response.at("/output/0/id").asText();
    }

    /** A request naming {@code id}, its first user message padded so the whole body is {@code size} bytes. */
    private static String referencing(String id, int size) {
        String head = "{\"model\":\"claude-sonnet-4-5\",\"max_output_tokens\":50,\"input\":[{\"role\":\"user\",\"content\":\"";
        String tail = "\"},{\"type\":\"item_reference\",\"id\":\"" + id + "\"},{\"role\":\"user\",\"content\":\"Again.\"}]}";
        String body = head + "x".repeat(size - head.length() - tail.length()) + tail;
        assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize(size);
        return body;
    }

    @Test
    void theConfiguredItemBoundKeepsOnlyTheNewestItem() {
        String older = answered("Say hello.");
        String newer = answered("Say goodbye.");
        HttpResponse<String> forgotten = post(referencing(older, 400));
        assertThat(forgotten.statusCode()).as(forgotten.body()).isEqualTo(400);
        assertThat(Http.json(forgotten.body()).at("/error/message").asText()).contains("is not an item this gateway keeps");
        HttpResponse<String> kept = post(referencing(newer, 400));
        assertThat(kept.statusCode()).as(kept.body()).isEqualTo(200);
    }

    @Test
    void aBodyThatFitsTheLimitAloneButNotWithItsReferencedItemIsA413() {
        String id = answered("Say hello.");
        int forwarded = SLUICE.recorder().received().size();
        HttpResponse<String> over = post(referencing(id, LIMIT - 8)); // the item is more than eight bytes
        assertThat(over.statusCode()).as(over.body()).isEqualTo(413);
        JsonNode error = Http.json(over.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("request_too_large");
        assertThat(error.path("code").asText()).isEqualTo("request_too_large");
        assertThat(error.path("message").asText()).startsWith("input: the body (" + (LIMIT - 8) + " bytes) and the items it sends by reference")
                .endsWith("come to more than the gateway's body limit of " + LIMIT + " bytes; send fewer items by reference");
        assertThat(SLUICE.recorder().received()).hasSize(forwarded);

        HttpResponse<String> fits = post(referencing(id, LIMIT / 2));
        assertThat(fits.statusCode()).as(fits.body()).isEqualTo(200);
    }
}
