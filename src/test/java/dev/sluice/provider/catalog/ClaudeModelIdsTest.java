package dev.sluice.provider.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClaudeModelIdsTest {
    private final ClaudeModelIds ids = ClaudeModelIds.builtIn();

    @Test
    void mapsBothWaysFromTheDataFile() {
        assertThat(ids.bedrock("claude-sonnet-4-5-20250929", "us")).isEqualTo("us.anthropic.claude-sonnet-4-5-20250929-v1:0");
        assertThat(ids.bedrock("claude-sonnet-4-5", null)).isEqualTo("anthropic.claude-sonnet-4-5-20250929-v1:0");
        assertThat(ids.vertex("claude-sonnet-4-5-20250929")).isEqualTo("claude-sonnet-4-5@20250929");
        assertThat(ids.vertex("claude-opus-4-0")).isEqualTo("claude-opus-4@20250514");
        assertThat(ids.fromProvider("us.anthropic.claude-sonnet-4-5-20250929-v1:0")).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(ids.fromProvider("claude-opus-4@20250514")).isEqualTo("claude-opus-4-20250514");
        assertThat(ids.find("claude-haiku-4-5").context()).isEqualTo(200_000);
    }

    @Test
    void unknownIdsMapByRule() {
        assertThat(ids.bedrock("claude-opus-4-6", "global")).isEqualTo("global.anthropic.claude-opus-4-6-v1");
        assertThat(ids.bedrock("claude-opus-5-5", "us")).isEqualTo("us.anthropic.claude-opus-5-5");
        assertThat(ids.bedrock("claude-foo-9", null)).isEqualTo("anthropic.claude-foo-9");
        assertThat(ids.fromProvider("us.anthropic.claude-opus-5-5")).isEqualTo("claude-opus-5-5");
        assertThat(ids.bedrock("claude-foo-9-20300101", null)).isEqualTo("anthropic.claude-foo-9-20300101-v1:0");
        assertThat(ids.vertex("claude-foo-9-20300101")).isEqualTo("claude-foo-9@20300101");
        assertThat(ids.vertex("claude-opus-4-6")).isEqualTo("claude-opus-4-6");
        assertThat(ids.fromProvider("eu.anthropic.claude-opus-4-6-v1")).isEqualTo("claude-opus-4-6");
    }

    @Test
    void providerIdsAndArnsPassThrough() {
        String arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc";
        assertThat(ids.bedrock(arn, "us")).isEqualTo(arn);
        assertThat(ids.bedrock("eu.anthropic.claude-haiku-4-5-20251001-v1:0", "us")).isEqualTo("eu.anthropic.claude-haiku-4-5-20251001-v1:0");
        assertThat(ClaudeModelIds.bareBedrock("us.anthropic.claude-haiku-4-5-20251001-v1:0")).isEqualTo("anthropic.claude-haiku-4-5-20251001-v1:0");
        assertThat(ClaudeModelIds.bareBedrock("anthropic.claude-haiku-4-5-20251001-v1:0")).isEqualTo("anthropic.claude-haiku-4-5-20251001-v1:0");
    }
}
