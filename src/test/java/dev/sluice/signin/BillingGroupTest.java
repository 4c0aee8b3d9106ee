package dev.sluice.signin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.front.anthropic.BodyInspector;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.pipeline.RequestFacts;
import dev.sluice.signin.billing.BillingGroup;
import dev.sluice.testing.Http;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reading the billing group and taking {@code tags} out, on the inspection's field spans: every
 * placement (alone, first, middle, last, repeated, odd whitespace) leaves valid JSON with every other
 * byte as sent, and the removal composes with a later edit of the model's bytes (the route's rename).
 */
class BillingGroupTest {
    static final String MSGS = "\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    static final String M = "\"model\":\"m\",";

    @Test
    void everyPlacementOfTagsIsRemovedLeavingTheRestAsSent() {
        assertStripped("{\"tags\":{\"project\":\"p\"}," + M + MSGS + "}", "{" + M + MSGS + "}");
        assertStripped("{" + M + MSGS + ",\"tags\":{\"project\":\"p\"}}", "{" + M + MSGS + "}");
        assertStripped("{\"model\":\"m\" ,\n\t\"tags\" : { \"a\" : [1, {\"b\":\"}\"}] } ,\n" + MSGS + "}", "{\"model\":\"m\" ,\n\t" + MSGS + "}");
        assertStripped("{\"tags\":{}," + M + "\"stream\":false," + MSGS + "}", "{" + M + "\"stream\":false," + MSGS + "}");
    }

    /** Two {@code tags} members never get this far: parsers disagree on which one counts, so inspection refuses the body. */
    @Test
    void tagsGivenTwiceAreRefusedAtInspection() {
        assertThatThrownBy(() -> BodyInspector.inspect(Operation.MESSAGES, RequestBody.of("{" + M + MSGS + ",\"tags\":{},\"tags\":{\"x\":\"y\"}}")))
                .isInstanceOf(dev.sluice.wire.ApiError.class).hasMessageContaining("'tags' twice");
    }

    @Test
    void theGroupIsTheConfiguredTagsStringValueAndOnlyAcceptedWhenTheDeveloperIsInIt() {
        BillingGroup bg = new BillingGroup("project");
        assertThat(group(bg, "{\"tags\":{\"repo\":\"api\",\"project\":\"payments\"}," + M + MSGS + "}")).isEqualTo("payments");
        assertThat(group(bg, "{\"tags\":{\"project\":7}," + M + MSGS + "}")).isNull();
        assertThat(group(bg, "{\"tags\":{\"project\":\"" + "x".repeat(300) + "\"}," + M + MSGS + "}")).as("bounded").isNull();
        assertThat(group(bg, "{\"tags\":[\"project\"]," + M + MSGS + "}")).isNull();
        assertThat(group(bg, "{" + M + MSGS + "}")).isNull();
        assertThat(BillingGroup.accepted("payments", List.of("eng", "payments"))).isTrue();
        assertThat(BillingGroup.accepted("payments", List.of("eng"))).isFalse();
        assertThat(BillingGroup.withoutBeta("request-tags-2026-08-21")).isNull();
        assertThat(BillingGroup.withoutBeta("a-1, request-tags-2026-08-21 ,b-2")).isEqualTo("a-1,b-2");
    }

    @Test
    void theRemovalComposesWithARenameOfTheModel() {
        String in = "{\"model\":\"claude-sonnet-4-5\",\"tags\":{\"project\":\"p\"}," + MSGS + "}";
        RequestBody body = RequestBody.of(in);
        RequestFacts facts = BodyInspector.inspect(Operation.MESSAGES, body);
        BillingGroup.strip(body, facts);
        RequestBody attempt = body.fork();
        RequestFacts.Field model = facts.field("model");
        attempt.replace(model.valueStart(), model.valueEnd(), "\"us.anthropic.claude\"".getBytes(StandardCharsets.UTF_8), "route");
        assertThat(attempt.bytes().toString()).isEqualTo("{\"model\":\"us.anthropic.claude\"," + MSGS + "}");
    }

    private static String group(BillingGroup bg, String json) {
        RequestBody body = RequestBody.of(json);
        return bg.group(body, BodyInspector.inspect(Operation.MESSAGES, body));
    }

    private static void assertStripped(String in, String expected) {
        RequestBody body = RequestBody.of(in);
        RequestFacts facts = BodyInspector.inspect(Operation.MESSAGES, body);
        assertThat(BillingGroup.strip(body, facts)).isTrue();
        String out = body.bytes().toString(StandardCharsets.UTF_8);
        assertThat(out).isEqualTo(expected);
        assertThat(Http.json(out).has("tags")).isFalse();
    }
}
