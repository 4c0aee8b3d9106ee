package dev.sluice.signin.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SigninConfig;
import dev.sluice.signin.session.Profile;
import dev.sluice.wire.Json;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * OpenID Connect checks the attack round found missing: a userinfo answer about another subject is
 * not used (OIDC Core §5.3.2), a discovery document naming another issuer is refused (OIDC Discovery
 * §4.3), and a plain-HTTP issuer is accepted on loopback only.
 */
class OidcHygieneTest {
    @Test
    void aUserinfoAnswerAboutAnotherSubjectIsNotUsed() throws Exception {
        JWTClaimsSet idToken = new JWTClaimsSet.Builder().issuer("https://idp.corp.io").subject("sub-x1").build();
        Profile mixedUp = Profiles.from(idToken, Json.MAPPER.readTree(
                "{\"sub\":\"someone-else\",\"email\":\"boss@corp.io\",\"email_verified\":true}"), "groups");
        assertThat(mixedUp.email()).as("not signed in as someone else").isNull();
        Profile same = Profiles.from(idToken, Json.MAPPER.readTree(
                "{\"sub\":\"sub-x1\",\"email\":\"dev@corp.io\",\"email_verified\":true}"), "groups");
        assertThat(same.email()).isEqualTo("dev@corp.io");
    }

    @Test
    void aDiscoveryDocumentNamingAnotherIssuerIsRefused() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer server = vertx.createHttpServer().requestHandler(req -> req.response().putHeader("content-type", "application/json")
                    .end("{\"issuer\":\"https://evil.example\",\"authorization_endpoint\":\"https://evil.example/a\","
                            + "\"token_endpoint\":\"https://evil.example/t\",\"jwks_uri\":\"https://evil.example/k\"}"))
                    .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            String issuer = "http://127.0.0.1:" + server.actualPort() + "/corp";
            OidcClient oidc = new OidcClient(new HttpFetch(vertx, vertx.createHttpClient(), Duration.ofSeconds(5)),
                    new SigninConfig.Oidc(issuer, "c", "s", null, null, null, null), Clock.systemUTC());
            assertThatThrownBy(() -> oidc.metadata().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasMessageContaining("names the issuer https://evil.example");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPlainHttpIssuerIsAcceptedOnLoopbackOnly() {
        String yaml = """
                upstreams: [{name: sim, base-url: "http://127.0.0.1:9", keys: [{alias: k1, value: sk-1}]}]
                signin:
                  enabled: true
                  oidc: {issuer: "%s", client-id: c, client-secret: s}
                  default-team: platform
                """;
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).parse("t", yaml.formatted("http://idp.corp.io/realms/x")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("signin.oidc.issuer");
        new ConfigLoader(Map.of()).parse("t", yaml.formatted("http://127.0.0.1:8080/realms/x"));
        new ConfigLoader(Map.of()).parse("t", yaml.formatted("https://idp.corp.io/realms/x"));
    }
}
