package dev.sluice.batches;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Supplier;

/**
 * A batch caller tagged {@code proj=<tag>} on a gateway whose budget counts every token of each {@code proj} tag, and
 * the admin who reads that budget's standing: what the batch restart tests do before and after their restart. The
 * base URL is read per call, since the test restarts its gateway.
 */
final class BatchBudgetCalls {
    private final Supplier<String> baseUrl;
    private final String tag;
    private final String adminKey;

    BatchBudgetCalls(Supplier<String> baseUrl, String tag, String adminKey) {
        this.baseUrl = baseUrl;
        this.tag = tag;
        this.adminKey = adminKey;
    }

    /** The gateway's configuration (without its store): the harness's sim upstream, the tag budget, {@code adminKey} as a reader. */
    static String yaml(String adminKey) {
        return SluiceHarness.BASE_YAML + """
                admin: {keys: [{value: %s, role: read, name: ops}]}
                budgets:
                  list: [{name: dev, level: tag, id: "proj=*", tokens: 1000000, token-kind: total}]
                """.formatted(adminKey);
    }

    /** One line of a batch: a short question asking for up to {@code maxTokens}. */
    static String request(String customId, int maxTokens) {
        return """
                {"custom_id": "%s", "params": {"model": "%s", "max_tokens": %d, "messages": [{"role": "user", "content": "hi %s"}]}}"""
                .formatted(customId, SluiceHarness.MODEL, maxTokens, customId);
    }

    /** Creates a batch of these lines as the tagged caller. */
    HttpResponse<String> create(String... requests) {
        return Http.post(baseUrl.get(), "/v1/messages/batches", "{\"requests\": [" + String.join(", ", requests) + "]}",
                "x-sluice-tag-proj", tag);
    }

    /** Reads the batch's results as the tagged caller (which bills them). */
    HttpResponse<String> results(String id) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl.get() + "/v1/messages/batches/" + id + "/results"))
                .header("x-api-key", SluiceHarness.GATEWAY_KEY).header("anthropic-version", "2023-06-01")
                .header("x-sluice-tag-proj", tag).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The tag's standing on its token budget ({@code spent}, {@code reserved}, ...), as the admin API reports it. */
    JsonNode standing() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl.get()
                        + "/admin/budgets/status?tag=proj=" + tag))
                .header("authorization", "Bearer " + adminKey).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Http.json(r.body()).path("standings").get(0);
    }
}
