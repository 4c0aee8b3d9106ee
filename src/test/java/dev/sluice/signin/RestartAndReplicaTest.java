package dev.sluice.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.store.PostgresForTests;
import dev.sluice.store.StoreSettings;
import dev.sluice.testing.Http;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole gateways, signed in to through the real IdP: a restart keeps the developer signed in (same
 * access token, same refresh token), and two gateways on one PostgreSQL share sessions, with a
 * sign-out on one refused by the other within one sync period (1 s by default) plus one read.
 */
class RestartAndReplicaTest {
    @TempDir
    Path dataA;
    @TempDir
    Path dataB;
    final Browser browser = new Browser();

    @Test
    void aRestartedGatewayKeepsTheDeveloperSignedIn() throws Exception {
        try (SigninHarness h = SigninHarness.start(dataA, null)) {
            JsonNode token = OAuth.signIn(h, browser, DeviceFlowTest.ENG);
            String access = token.get("access_token").asText();
            assertThat(OAuth.message(h.url(), access).statusCode()).isEqualTo(200);

            h.restartGateway();

            HttpResponse<String> after = OAuth.message(h.url(), access);
            assertThat(after.statusCode()).as("the same token after a restart: " + after.body()).isEqualTo(200);
            HttpResponse<String> refreshed = OAuth.token(h.url(), "grant_type=refresh_token&refresh_token="
                    + token.get("refresh_token").asText());
            assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
            assertThat(OAuth.message(h.url(), Http.json(refreshed.body()).get("access_token").asText()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void replicasShareSessionsAndASignOutOnOneIsRefusedByTheOtherWithinASyncPeriod() throws Exception {
        StoreSettings pg = PostgresForTests.freshDatabase(dataA);
        String store = "kind: postgres, url: \"%s\", user: postgres, password: postgres, data-dir: \"%s\"";
        try (SigninHarness a = SigninHarness.builder(dataA).store(store.formatted(pg.jdbcUrl(), dataA)).start();
             SigninHarness b = SigninHarness.builder(dataB).store(store.formatted(pg.jdbcUrl(), dataB)).idp(a.idp()).noSeed().start()) {
            JsonNode token = OAuth.signIn(a, browser, DeviceFlowTest.ENG);
            String access = token.get("access_token").asText();
            HttpResponse<String> onB = OAuth.message(b.url(), access);
            assertThat(onB.statusCode()).as("signed in on A, served at once by B: " + onB.body()).isEqualTo(200);
            HttpResponse<String> refreshedOnB = OAuth.token(b.url(), "grant_type=refresh_token&refresh_token="
                    + token.get("refresh_token").asText());
            assertThat(refreshedOnB.statusCode()).as(refreshedOnB.body()).isEqualTo(200);
            String fresh = Http.json(refreshedOnB.body()).get("access_token").asText();
            assertThat(OAuth.message(a.url(), fresh).statusCode()).as("refreshed on B, used on A").isEqualTo(200);

            assertThat(OAuth.form(a.url() + "/oauth/revoke", "token=" + fresh).statusCode()).isEqualTo(200);
            long revoked = System.nanoTime();
            assertThat(OAuth.message(a.url(), fresh).statusCode()).as("refused at once where it was revoked").isEqualTo(401);
            HttpResponse<String> refused = OAuth.eventually(Duration.ofSeconds(5), () -> {
                HttpResponse<String> r = OAuth.message(b.url(), fresh);
                return r.statusCode() == 401 ? r : null;
            });
            long millis = (System.nanoTime() - revoked) / 1_000_000;
            System.out.printf("sign-out on replica A refused by replica B after %d ms%n", millis);
            assertThat(millis).as("one sync period (1 s) plus a read, with slack for a busy machine").isLessThan(2_500);
            assertThat(refused.headers().firstValue("x-should-retry")).hasValue("false");
            assertThat(OAuth.message(b.url(), access).statusCode()).as("the session's earlier token too").isEqualTo(401);
        }
    }
}
