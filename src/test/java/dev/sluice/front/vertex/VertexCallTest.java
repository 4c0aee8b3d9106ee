package dev.sluice.front.vertex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.wire.ApiError;
import org.junit.jupiter.api.Test;

class VertexCallTest {
    private static final String BASE = "/vertex/v1/projects/my-proj/locations/us-east5/publishers/anthropic/models/";

    @Test
    void readsProjectRegionModelAndMethod() {
        VertexCall call = VertexCall.parse(BASE + "claude-sonnet-4-5@20250929:streamRawPredict");
        assertThat(call).isEqualTo(new VertexCall("my-proj", "us-east5", "claude-sonnet-4-5@20250929", true));
        assertThat(call.check()).isSameAs(call);
        assertThat(VertexCall.parse(BASE + "claude-opus-5-5:rawPredict").stream()).isFalse();
    }

    @Test
    void takesTheAtAndColonPercentEncoded() {
        assertThat(VertexCall.parse(BASE + "claude-sonnet-4-5%4020250929%3AstreamRawPredict"))
                .isEqualTo(new VertexCall("my-proj", "us-east5", "claude-sonnet-4-5@20250929", true));
    }

    @Test
    void takesADomainScopedProjectAsGoogleNamesIt() {
        // attack round 29: a domain-scoped GCP project (example.com:my-proj, as the Vertex SDK sends it, ':' unescaped)
        // was refused as "not valid", so its team's Claude Code in Vertex mode could not use the gateway.
        String tail = "/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict";
        VertexCall call = VertexCall.parse("/vertex/v1/projects/example.com:my-proj" + tail);
        assertThat(call.project()).isEqualTo("example.com:my-proj");
        assertThat(call.check()).isSameAs(call);
        assertThat(VertexCall.parse("/vertex/v1/projects/example.com%3Amy-proj" + tail).check().project()).isEqualTo("example.com:my-proj");
        assertThatThrownBy(() -> VertexCall.parse("/vertex/v1/projects/a:b:c" + tail).check()).hasMessageContaining("project");
        assertThatThrownBy(() -> VertexCall.parse("/vertex/v1/projects/:p" + tail).check()).hasMessageContaining("project");
    }

    @Test
    void countTokensIsAModelOfItsOwn() {
        VertexCall call = VertexCall.parse(BASE + "count-tokens:rawPredict");
        assertThat(call.countTokens()).isTrue();
        assertThatThrownBy(() -> VertexCall.parse(BASE + "count-tokens:streamRawPredict").check())
                .isInstanceOf(ApiError.class).hasMessageContaining("count-tokens:rawPredict");
    }

    @Test
    void otherShapesAreNotThisDoorsCalls() {
        assertThat(VertexCall.parse("/vertex/projects/p/locations/us-east5/publishers/anthropic/models/m:rawPredict")).isNull();
        assertThat(VertexCall.parse("/vertex/v1/projects/p/locations/us-east5/publishers/google/models/gemini:generateContent")).isNull();
        assertThat(VertexCall.parse(BASE + "claude-opus-5-5:predict")).isNull();
        assertThat(VertexCall.parse(BASE + "claude-opus-5-5")).isNull();
        assertThat(VertexCall.parse("/vertex/v1/projects/p/publishers/anthropic/models/m:rawPredict")).isNull();
        assertThat(VertexCall.parse("/v1/messages")).isNull();
    }

    @Test
    void badValuesAreA400NamingThePart() {
        assertThatThrownBy(() -> VertexCall.parse("/vertex/v1/projects/a/b/locations/us-east5/publishers/anthropic/models/m:rawPredict").check())
                .isInstanceOf(ApiError.class).hasMessageContaining("project 'a/b'");
        assertThatThrownBy(() -> VertexCall.parse("/vertex/v1/projects/p/locations/US%20East/publishers/anthropic/models/m:rawPredict").check())
                .hasMessageContaining("location").hasMessageContaining("us-east5");
        assertThatThrownBy(() -> VertexCall.parse(BASE + "claude%22x:rawPredict").check())
                .isInstanceOf(ApiError.class).hasMessageContaining("model");
        String longModel = "m".repeat(129);
        assertThatThrownBy(() -> VertexCall.parse(BASE + longModel + ":rawPredict").check())
                .satisfies(e -> assertThat(((ApiError) e).status()).isEqualTo(400))
                .hasMessageContaining("...");
        assertThatThrownBy(() -> VertexCall.parse(BASE + ":rawPredict").check()).isInstanceOf(ApiError.class);
    }
}
