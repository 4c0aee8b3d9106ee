package dev.sluice.front.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Http;
import dev.sluice.testing.SimGatewayYaml;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The OpenAI door's {@code model} names the model that served the answer, as OpenAI's API does (a request for
 * {@code gpt-4o} is answered by {@code gpt-4o-2024-08-06}), and as {@code x-sluice-model} and the ledger do: after a
 * fallback to another provider's model, or a budget's degrade, the client prices and reports the answer by it. Attack
 * round 35: the door named the requested model whatever served it, while the README said the answer names the
 * model that served it.
 */
class OpenAiDoorServedModelTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig(SimGatewayYaml.claudeThenOpenAi("sk-openai-served"));

    /** The OpenAI doors pass no client headers upstream: the primary's 529 is a standing directive for its key. */
    @AfterEach
    void clear() {
        SLUICE.harness().sim().standingDirectives(Map.of());
    }

    private static String chat(boolean stream) {
        return "{\"model\":\"" + SluiceHarness.MODEL + "\",\"max_tokens\":64,\"stream\":" + stream
                + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "")
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"which model answers?\"}]}";
    }

    private static List<String> models(HttpResponse<String> r, boolean stream) {
        if (!stream) {
            return List.of(Http.json(r.body()).path("model").asText());
        }
        return r.body().lines().filter(l -> l.startsWith("data: {"))
                .map(l -> Http.json(l.substring(6)).path("model").asText()).toList();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aFallbacksAnswerNamesTheModelThatServedIt(boolean stream) {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-fault", "529", "x-sim-fault-key", SluiceHarness.UPSTREAM_KEY));
        HttpResponse<String> r = Http.post(SLUICE.gatewayUrl(), "/v1/chat/completions", chat(stream));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-sluice-tried").orElseThrow()).contains("claude/c 529").endsWith("oai/o 200");
        assertThat(r.headers().firstValue("x-sluice-model")).hasValue("gpt-4.1");
        assertThat(models(r, stream)).as(r.body()).isNotEmpty().allSatisfy(m -> assertThat(m).isEqualTo("gpt-4.1"));
    }

    /** The Responses door likewise: the response object's {@code model}, whole or in the stream's events. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aFallbacksResponseNamesTheModelThatServedIt(boolean stream) {
        String body = "{\"model\":\"" + SluiceHarness.MODEL + "\",\"max_output_tokens\":64,\"stream\":" + stream
                + ",\"input\":\"which model answers?\"}";
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-fault", "529", "x-sim-fault-key", SluiceHarness.UPSTREAM_KEY));
        HttpResponse<String> r = Http.post(SLUICE.gatewayUrl(), "/v1/responses", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> models = stream
                ? r.body().lines().filter(l -> l.startsWith("data: {")).map(l -> Http.json(l.substring(6)).path("response"))
                        .filter(n -> !n.isMissingNode()).map(n -> n.path("model").asText()).toList()
                : List.of(Http.json(r.body()).path("model").asText());
        assertThat(models).as(r.body()).isNotEmpty().allSatisfy(m -> assertThat(m).isEqualTo("gpt-4.1"));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aFirstChoiceNamesItsOwnModel(boolean stream) {
        HttpResponse<String> r = Http.post(SLUICE.gatewayUrl(), "/v1/chat/completions", chat(stream));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(models(r, stream)).as(r.body()).isNotEmpty().allSatisfy(m -> assertThat(m).isEqualTo(SluiceHarness.MODEL));
    }
}
