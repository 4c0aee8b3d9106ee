package dev.sluice.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.pipeline.Identity;
import dev.sluice.wire.ApiError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class CatalogTest {
    private final RouteFixture f = new RouteFixture("""
            upstreams: [{name: main, base-url: "http://127.0.0.1:1"}]
            routing:
              models:
                - {id: claude-opus-4-5, display-name: "Claude Opus 4.5", created-at: "2025-11-01T00:00:00Z", aliases: [opus, best]}
                - {id: claude-sonnet-4-5, display-name: "Claude Sonnet 4.5", aliases: [sonnet]}
                - {id: claude-haiku-4-5, aliases: [haiku, fast]}
              access:
                - {team: contractors, models: ["claude-haiku-*"]}
                - {user: u2, models: ["*"], deny: ["claude-opus-*"]}
            """);
    private static final Identity CONTRACTOR = new Identity("k", "k", "u", "contractors", "o", Map.of());
    private static final Identity SECRET = new Identity("k2", "k2", "u2", "core", "o", Map.of("repo", "secret-sauce"));
    private static final Identity ANYONE = new Identity("k3", "k3", "u3", "core", "o", Map.of());

    @Test
    void listsInAnthropicsShapeWithCursorPaging() {
        Catalog c = f.router().catalog();
        ObjectNode page = c.page("2", null, null, id -> true);
        assertThat(ids(page)).containsExactly("claude-opus-4-5", "claude-sonnet-4-5");
        assertThat(page.path("has_more").asBoolean()).isTrue();
        assertThat(page.path("first_id").asText()).isEqualTo("claude-opus-4-5");
        assertThat(page.path("last_id").asText()).isEqualTo("claude-sonnet-4-5");
        JsonNode first = page.path("data").get(0);
        assertThat(first.path("type").asText()).isEqualTo("model");
        assertThat(first.path("display_name").asText()).isEqualTo("Claude Opus 4.5");
        assertThat(first.path("created_at").asText()).isEqualTo("2025-11-01T00:00:00Z");
        ObjectNode next = c.page("2", "claude-sonnet-4-5", null, id -> true);
        assertThat(ids(next)).containsExactly("claude-haiku-4-5");
        assertThat(next.path("has_more").asBoolean()).isFalse();
        assertThat(ids(c.page(null, null, "claude-haiku-4-5", id -> true))).containsExactly("claude-opus-4-5", "claude-sonnet-4-5");
        assertThat(c.page("5", "claude-haiku-4-5", null, id -> true).path("first_id").isNull()).isTrue();
    }

    @Test
    void aCallerSeesAndMayUseOnlyWhatItsFirstMatchingRuleAllows() {
        Catalog c = f.router().catalog();
        Access a = f.router().access();
        assertThat(ids(c.page(null, null, null, id -> a.allows(CONTRACTOR, id)))).containsExactly("claude-haiku-4-5");
        assertThat(ids(c.page(null, null, null, id -> a.allows(SECRET, id)))).containsExactly("claude-sonnet-4-5", "claude-haiku-4-5");
        assertThat(ids(c.page(null, null, null, id -> a.allows(ANYONE, id)))).hasSize(3);

        assertThat(a.denial(CONTRACTOR, "fast", c.resolve("fast"))).isNull();
        assertThat(a.denial(CONTRACTOR, "opus", c.resolve("opus"))).contains("'opus' (claude-opus-4-5) is not available");
        assertThat(a.denial(SECRET, "best", c.resolve("best"))).contains("'best'");
        assertThat(a.denial(ANYONE, "claude-opus-9", "claude-opus-9")).isNull();
        assertThat(a.denial(CONTRACTOR, "claude-sonnet-4-5", "claude-sonnet-4-5")).contains("'claude-sonnet-4-5'");
    }

    @Test
    void aDenyHoldsInAnyCaseAndBehindAProvidersPrefix() {
        Access a = f.router().access();
        for (String dodge : List.of("CLAUDE-OPUS-4-6", "anthropic/claude-opus-4-6", "us.anthropic.claude-opus-4-1-20250805-v1:0",
                "Anthropic/Claude-Opus-4-6")) {
            assertThat(a.denial(SECRET, dodge, dodge)).as(dodge).contains("is not available");
        }
        assertThat(a.denial(SECRET, "anthropic/claude-sonnet-4-5", "anthropic/claude-sonnet-4-5")).isNull();
    }

    @Test
    void oneModelByIdOrAliasAnd404ForTheRest() {
        Catalog c = f.router().catalog();
        assertThat(c.one("opus", id -> true).path("id").asText()).isEqualTo("claude-opus-4-5");
        Predicate<String> contractor = id -> f.router().access().allows(CONTRACTOR, id);
        assertThatThrownBy(() -> c.one("opus", contractor)).isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> c.one("gpt-4o", id -> true)).isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void badPagingParametersAreClear400s() {
        Catalog c = f.router().catalog();
        for (String limit : List.of("0", "1001", "ten", "-5")) {
            assertThatThrownBy(() -> c.page(limit, null, null, id -> true)).isInstanceOfSatisfying(ApiError.class, e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.getMessage()).contains("limit: '" + limit + "'");
            });
        }
        assertThatThrownBy(() -> c.page(null, "x".repeat(10_000), null, id -> true)).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.getMessage()).hasSizeLessThan(400).contains("after_id"));
    }

    private static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.path("data").forEach(m -> out.add(m.path("id").asText()));
        return out;
    }
}
