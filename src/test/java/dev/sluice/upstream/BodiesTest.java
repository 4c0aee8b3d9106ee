package dev.sluice.upstream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.front.anthropic.BodyInspector;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.pipeline.RequestFacts;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class BodiesTest {
    @Test
    void aRenameSplicesOnlyTheModelBytes() {
        String body = "{ \"max_tokens\": 5,\n \"model\"\t:  \"fast\" , \"messages\": [{\"role\":\"user\",\"content\":\"model fast \u00e9\"}],"
                + "\"x\":{\"model\":\"fast\"}}";
        RequestFacts facts = BodyInspector.inspect(Operation.MESSAGES, RequestBody.of(body));
        Buffer out = Bodies.withModel(RequestBody.of(body), facts, "claude-haiku-4-5-20251001").bytes();
        assertThat(out.toString(UTF_8)).isEqualTo(body.replaceFirst("\"fast\"", "\"claude-haiku-4-5-20251001\""));
    }

    @Test
    void aRenameEscapesTheNewName() {
        String body = "{\"model\":\"a\",\"max_tokens\":1,\"messages\":[]}";
        RequestFacts facts = BodyInspector.inspect(Operation.MESSAGES, RequestBody.of(body));
        Buffer out = Bodies.withModel(RequestBody.of(body), facts, "we\"ird\\name").bytes();
        assertThat(out.toString(UTF_8)).isEqualTo("{\"model\":\"we\\\"ird\\\\name\",\"max_tokens\":1,\"messages\":[]}");
        assertThat(BodyInspector.inspect(Operation.MESSAGES, RequestBody.of(out.getBytes())).model()).isEqualTo("we\"ird\\name");
    }

    @Test
    void aRenameOfAnEscapedModelReplacesTheWholeEscapedString() {
        String body = "{\"messages\":[],\"max_tokens\":1,\"model\":\"f\\u0061st\"}";
        RequestFacts facts = BodyInspector.inspect(Operation.MESSAGES, RequestBody.of(body));
        assertThat(facts.model()).isEqualTo("fast");
        Buffer out = Bodies.withModel(RequestBody.of(body), facts, "x").bytes();
        assertThat(out.toString(UTF_8)).isEqualTo("{\"messages\":[],\"max_tokens\":1,\"model\":\"x\"}");
    }
}
