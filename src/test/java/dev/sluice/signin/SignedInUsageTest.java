package dev.sluice.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipeline.Identity;
import dev.sluice.signin.usage.SignedInUsage;
import dev.sluice.signin.usage.StandingSource;
import dev.sluice.signin.usage.UsageDocument;
import dev.sluice.signin.usage.UsageHeaders;
import dev.sluice.signin.usage.UsageStanding;
import dev.sluice.testing.Http;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/oauth/usage} for a signed-in developer, rendered by {@link SignedInUsage} from a
 * fake {@link StandingSource} (the budgets engine's seam), served over HTTP by a bare Vert.x server as
 * the usage endpoint would hand it over: the protocol's shape, cents and whole percents, and a
 * {@code resets_at} equal to the headers' {@code overage-reset} to the second.
 */
class SignedInUsageTest {
    static final Identity DEV = new Identity("sso:dev@corp.example", "dev@corp.example", "dev@corp.example", "platform", "acme", Map.of());
    static final Instant RESET = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void aCappedDeveloperSeesDollarsThatAgreeWithTheHeaders() throws Exception {
        UsageStanding s = UsageStanding.of(271_400_000_000L, 500_000_000_000L, UsageStanding.Period.MONTHLY, RESET,
                UsageStanding.Scope.USER);
        AtomicReference<StandingSource> source = new AtomicReference<>(who -> who.equals(DEV) ? s : null);
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer server = vertx.createHttpServer().requestHandler(req -> new SignedInUsage(source::get).answer(req, DEV))
                    .listen(0, "127.0.0.1").await();
            HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort()
                    + "/api/oauth/usage")).build());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("cache-control")).hasValue("no-store");
            JsonNode doc = Http.json(r.body());
            assertThat(doc.at("/extra_usage/monthly_limit").asLong()).isEqualTo(50_000);
            assertThat(doc.at("/extra_usage/used_credits").asLong()).isEqualTo(27_140);
            assertThat(doc.at("/extra_usage/utilization").asLong()).isEqualTo(54);
            assertThat(doc.at("/extra_usage/monthly_limit").isNumber()).as("cents are numbers").isTrue();
            JsonNode row = doc.at("/limits/0");
            assertThat(row.get("group").asText()).isEqualTo("monthly");
            assertThat(row.get("percent").asLong()).isEqualTo(54);
            assertThat(row.get("is_active").asBoolean()).isTrue();
            assertThat(row.get("resets_at").asText()).isEqualTo("2026-12-01T00:00:00.000Z");
            String header = UsageHeaders.served(s).get("anthropic-ratelimit-unified-overage-reset");
            assertThat(Instant.parse(row.get("resets_at").asText()).getEpochSecond()).isEqualTo(Long.parseLong(header));

            source.set(who -> UsageStanding.unreadable());
            HttpResponse<String> unreadable = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort()
                    + "/api/oauth/usage")).build());
            assertThat(unreadable.statusCode()).as("the client then shows the percent alone").isEqualTo(503);
            assertThat(Http.json(unreadable.body()).at("/error/type").asText()).isEqualTo("api_error");
        } finally {
            vertx.close().await();
        }
    }

    @Test
    void anUncappedDeveloperSeesMonthDayAndWeekAndNothingKnownIs404() {
        StandingSource spendOnly = new StandingSource() {
            @Override
            public UsageStanding standing(Identity who) {
                return null;
            }

            @Override
            public UsageDocument.Uncapped spend(Identity who) {
                return new UsageDocument.Uncapped(98_765_000_000L, 12_400_000_000L, 40_000_000_000L);
            }
        };
        SignedInUsage.Reply r = new SignedInUsage(() -> spendOnly).render(DEV);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("limits").isEmpty()).isTrue();
        assertThat(r.body().at("/extra_usage/monthly_limit").isNull()).isTrue();
        assertThat(r.body().at("/extra_usage/utilization").isNull()).isTrue();
        assertThat(r.body().at("/extra_usage/used_credits").asLong()).isEqualTo(9_876);
        assertThat(r.body().at("/extra_usage/daily").toString()).isEqualTo("{\"limit\":null,\"used_credits\":1240,\"utilization\":null}");
        assertThat(r.body().at("/extra_usage/weekly/used_credits").asLong()).isEqualTo(4_000);

        SignedInUsage.Reply none = new SignedInUsage(() -> StandingSource.NONE).render(DEV);
        assertThat(none.status()).isEqualTo(404);
        assertThat(SignedInUsage.signedIn(DEV)).isTrue();
        assertThat(SignedInUsage.signedIn(new Identity("key_123", "ci", "ci", "platform", "acme", Map.of()))).isFalse();
        assertThat(SignedInUsage.signedIn(Identity.OPEN)).isFalse();
    }
}
