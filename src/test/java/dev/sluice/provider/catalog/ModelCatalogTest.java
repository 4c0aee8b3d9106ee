package dev.sluice.provider.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.settle.Meter;
import dev.sluice.settle.PriceTable;
import dev.sluice.wire.Usage;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The catalog per provider, and its agreement with the meter: every model it lists is priced, under either of its ids. */
class ModelCatalogTest {
    private static final SluiceConfig CONFIG = new ConfigLoader(Map.of()).parse("x.yaml", """
            upstreams:
              - {name: anthropic, base-url: "https://api.anthropic.com"}
              - {name: bedrock, provider: bedrock, region: us-east-1, inference-profile: us, keys: [{alias: k, value: ABSKx}],
                 models: {claude-sonnet-4-5-20250929: "arn:aws:bedrock:us-east-1:1:application-inference-profile/abc"}}
              - {name: vertex, provider: vertex, region: us-east5, project: my-project, keys: [{alias: t, value: ya29.x}]}
              - {name: foundry, provider: foundry, base-url: "https://r.services.ai.azure.com/anthropic", keys: [{alias: k, value: x}]}
              - {name: openai, provider: openai, base-url: "https://api.openai.com", keys: [{alias: k, value: x}],
                 models: {claude-sonnet-4-5: gpt-4.1, fast: gpt-4.1-mini}}
              - {name: ollama, provider: openai-compatible, base-url: "http://127.0.0.1:11434"}
            """);
    private static final ModelCatalog CATALOG = ModelCatalog.compile(CONFIG);
    private static final Meter METER = new Meter(PriceTable.load(null, BigDecimal.ONE));

    private static boolean priced(String model) {
        return !METER.cost(model, Usage.of(1_000_000, 1_000)).defaultPriced();
    }

    @Test
    void claudeProvidersListTheClaudeCatalogWithTheirOwnIds() {
        List<CatalogEntry> bedrock = CATALOG.of("bedrock");
        assertThat(bedrock).extracting(CatalogEntry::id).contains("claude-opus-4-5-20251101", "claude-haiku-4-5-20251001");
        assertThat(bedrock).filteredOn(e -> e.id().equals("claude-haiku-4-5-20251001")).singleElement()
                .extracting(CatalogEntry::providerId).isEqualTo("us.anthropic.claude-haiku-4-5-20251001-v1:0");
        assertThat(bedrock).filteredOn(e -> e.id().equals("claude-sonnet-4-5-20250929")).singleElement()
                .extracting(CatalogEntry::providerId).asString().startsWith("arn:aws:bedrock");
        assertThat(CATALOG.of("vertex")).filteredOn(e -> e.id().equals("claude-sonnet-4-5-20250929")).singleElement()
                .extracting(CatalogEntry::providerId).isEqualTo("claude-sonnet-4-5@20250929");
        assertThat(CATALOG.of("foundry")).isNotEmpty().allSatisfy(e -> assertThat(e.contextWindow()).isEqualTo(200_000));
    }

    @Test
    void upstreamsWithTheirOwnListingAreAsked() {
        assertThat(CATALOG.of("anthropic")).isNull();
        assertThat(CATALOG.of("ollama")).isNull();
        assertThat(CATALOG.of("openai")).extracting(CatalogEntry::id).containsExactly("claude-sonnet-4-5", "fast");
    }

    @Test
    void everyListedModelIsPricedUnderTheNameClientsUseAndTheNameTheProviderReports() {
        for (String upstream : List.of("bedrock", "vertex", "foundry")) {
            assertThat(CATALOG.of(upstream)).allSatisfy(e -> {
                assertThat(priced(e.id())).as("%s lists %s", upstream, e.id()).isTrue();
                if (!e.providerId().startsWith("arn:")) {
                    assertThat(priced(e.providerId())).as("%s bills %s", upstream, e.providerId()).isTrue();
                }
            });
        }
        // An OpenAI upstream bills what it reports: the mapped model.
        assertThat(CATALOG.of("openai")).allSatisfy(e -> assertThat(priced(e.providerId())).as(e.providerId()).isTrue());
        assertThat(priced("gpt-4.1-2025-04-14")).as("OpenAI's dated snapshot").isTrue();
        assertThat(priced("text-embedding-3-small")).isTrue();
    }

    @Test
    void theIdOfAModelPathWhereverItIsMounted() {
        assertThat(ModelListStage.idOf("/v1/models")).isNull();
        assertThat(ModelListStage.idOf("/v1/models/")).isNull();
        assertThat(ModelListStage.idOf("/v1/models/claude-opus-4-6")).isEqualTo("claude-opus-4-6");
        assertThat(ModelListStage.idOf("/openai/v1/models/openai/gpt-4o")).isEqualTo("openai/gpt-4o");
    }

    @Test
    void displayNamesAndDatesComeFromTheIds() {
        assertThat(new CatalogEntry("claude-sonnet-4-5-20250929", "x", 0).displayName()).isEqualTo("Claude Sonnet 4.5");
        assertThat(new CatalogEntry("claude-sonnet-4-5-20250929", "x", 0).createdAt()).isEqualTo("2025-09-29T00:00:00Z");
        assertThat(new CatalogEntry("claude-3-5-haiku-20241022", "x", 0).displayName()).isEqualTo("Claude 3.5 Haiku");
        assertThat(new CatalogEntry("claude-opus-5-5", "x", 0).displayName()).isEqualTo("Claude Opus 5.5");
        assertThat(new CatalogEntry("claude-opus-5-5", "x", 0).createdAt()).isEqualTo(CatalogEntry.UNKNOWN_DATE);
        assertThat(new CatalogEntry("gpt-4.1", "x", 0).displayName()).isEqualTo("gpt-4.1");
    }
}
