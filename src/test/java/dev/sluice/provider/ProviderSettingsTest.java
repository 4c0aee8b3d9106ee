package dev.sluice.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.Gateway;
import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each provider's own fields, checked when a configuration is applied, with messages that name the key and the value. */
class ProviderSettingsTest {
    private static final ConfigLoader LOADER = new ConfigLoader(Map.of("AWS_ID", "AKIAEXAMPLE", "AWS_SECRET", "abc/def+ghi"));

    private static void check(String upstream) {
        Gateway.check(LOADER.parse("x.yaml", "upstreams:\n  - " + upstream + "\n"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            bedrock without keys       | {name: b, provider: bedrock, region: us-east-1}                                         | upstreams[0].keys: 'none' (expected: at least one Bedrock API key)
            bedrock bad region         | {name: b, provider: bedrock, region: mars-1, keys: [{alias: k, value: x}]}              | upstreams[0].region: 'mars-1' (expected: an AWS region such as us-east-1
            bedrock bad auth           | {name: b, provider: bedrock, region: us-east-1, auth: iam, keys: [{alias: k, value: x}]} | upstreams[0].auth: 'iam' (expected: api-key or sigv4)
            sigv4 key without secret   | {name: b, provider: bedrock, region: us-east-1, auth: sigv4, keys: [{alias: k, value: AKIAONLY}]} | upstreams[0].keys[0].value: '<redacted>' (expected: ACCESS_KEY_ID:SECRET_ACCESS_KEY
            bedrock bad profile        | {name: b, provider: bedrock, region: us-east-1, inference-profile: mars, keys: [{alias: k, value: x}]} | upstreams[0].inference-profile: 'mars'
            bedrock with a project     | {name: b, provider: bedrock, region: us-east-1, project: p, keys: [{alias: k, value: x}]} | upstreams[0].project: 'p' (expected: no project for provider bedrock
            vertex without a project   | {name: v, provider: vertex, region: us-east5, keys: [{alias: t, value: ya29}]}          | upstreams[0].project: 'null' (expected: a GCP project id)
            vertex missing file        | {name: v, provider: vertex, region: global, project: my-proj, credentials-file: /nonexistent/sa.json} | upstreams[0].credentials-file: '/nonexistent/sa.json' (expected: a readable Google credentials JSON file
            azure without api-version  | {name: z, provider: azure-openai, base-url: "https://x.openai.azure.com", keys: [{alias: k, value: x}]} | upstreams[0].api-version: 'null' (expected: Azure OpenAI's api-version
            azure deployment with /    | {name: z, provider: azure-openai, base-url: "https://x.openai.azure.com", api-version: 2024-10-21, keys: [{alias: k, value: x}], models: {a: "dep/x"}} | upstreams[0].models.a: 'dep/x' (expected: an Azure deployment name
            openai without a key       | {name: o, provider: openai, base-url: "https://api.openai.com"}                         | upstreams[0].keys: 'none' (expected: at least one OpenAI API key)
            openai with api-version    | {name: o, provider: openai, base-url: "https://api.openai.com", api-version: v1, keys: [{alias: k, value: x}]} | upstreams[0].api-version: 'v1' (expected: no api-version for provider openai
            a credential header        | {name: c, provider: openai-compatible, base-url: "http://127.0.0.1:11434", headers: {Authorization: "Bearer x"}} | upstreams[0].headers.Authorization: '<set>' (expected: not one of
            a header with a newline    | {name: c, provider: openai-compatible, base-url: "http://127.0.0.1:11434", headers: {X-Title: "a\\nb"}} | upstreams[0].headers.X-Title
            a model with a quote       | {name: a, base-url: "https://api.anthropic.com", models: {x: "bad\\"name"}}            | upstreams[0].models.x
            foundry with a region      | {name: f, provider: foundry, base-url: "https://r.services.ai.azure.com/anthropic", region: eastus, keys: [{alias: k, value: x}]} | upstreams[0].region: 'eastus' (expected: no region for provider foundry
            reasoning on anthropic     | {name: a, base-url: "https://api.anthropic.com", reasoning: {models: ["o3*"]}}          | upstreams[0].reasoning: '{models: [o3*]}' (expected: no reasoning for provider anthropic
            a reasoning glob with space | {name: c, provider: openai-compatible, base-url: "http://127.0.0.1:8000", reasoning: {models: ["qwen 3"]}} | upstreams[0].reasoning.models: 'qwen 3' (expected: a model name or glob
            foundry bad auth           | {name: f, provider: foundry, base-url: "https://r.services.ai.azure.com/anthropic", auth: sigv4, keys: [{alias: k, value: x}]} | upstreams[0].auth: 'sigv4' (expected: api-key (the Foundry key as x-api-key) or entra
            """)
    void aBadProviderFieldIsRefusedNamingIt(String what, String upstream, String message) {
        assertThatThrownBy(() -> check(upstream)).isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        assertThatThrownBy(() -> Gateway.check(LOADER.parse("x.yaml", """
                upstreams:
                  - {name: b, provider: bedrock, region: nowhere, keys: [{alias: k, value: x}]}
                  - {name: o, provider: openai, base-url: "https://api.openai.com"}
                """))).hasMessageContaining("upstreams[0].region").hasMessageContaining("upstreams[1].keys")
                .hasMessageContaining("[upstream 'b', provider bedrock]");
    }

    @Test
    void goodSettingsPassAndTheRegionGivesTheEndpoint(@TempDir Path dir) throws Exception {
        Path sa = dir.resolve("sa.json");
        Files.writeString(sa, dev.sluice.sim.VertexSim.serviceAccountJson("http://127.0.0.1:1", "my-project"));
        String yaml = """
                upstreams:
                  - {name: b, provider: bedrock, region: eu-west-1, inference-profile: eu, auth: sigv4,
                     keys: [{alias: k, value: "${AWS_ID}:${AWS_SECRET}"}], models: {claude-opus-4-6: "arn:aws:bedrock:eu-west-1:1:application-inference-profile/x"}}
                  - {name: v, provider: vertex, region: global, project: my-project, credentials-file: "%s"}
                  - {name: z, provider: azure-openai, base-url: "https://acme.openai.azure.com", api-version: 2024-10-21,
                     keys: [{alias: k, value: x}], models: {claude-sonnet-4-5: gpt-4o-deployment}}
                  - {name: c, provider: openai-compatible, base-url: "http://127.0.0.1:11434", headers: {X-Title: Sluice}}
                  - {name: f, provider: foundry, base-url: "https://acme.services.ai.azure.com/anthropic", auth: entra, keys: [{alias: k, value: t}]}
                """.formatted(sa);
        SluiceConfig c = LOADER.parse("x.yaml", yaml);
        assertThatCode(() -> Gateway.check(c)).doesNotThrowAnyException();
        assertThat(c.upstream("b").baseUrl()).isEqualTo("https://bedrock-runtime.eu-west-1.amazonaws.com");
        assertThat(c.upstream("v").baseUrl()).isEqualTo("https://aiplatform.googleapis.com");
    }
}
