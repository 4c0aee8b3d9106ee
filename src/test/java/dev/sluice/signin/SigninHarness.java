package dev.sluice.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Gateway;
import dev.sluice.config.ConfigLoader;
import dev.sluice.sim.SimOptions;
import dev.sluice.sim.SimServer;
import dev.sluice.testing.Http;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A real OpenID Connect provider ({@link IdpProcess}: mock-oauth2-server with its login form), the
 * simulated upstream, and a gateway with sign-in on, an admin key, and org {@code acme} with teams
 * {@code platform} and {@code research}. Groups map to teams: {@code eng} → platform,
 * {@code science} → research; developers in no mapped group are refused.
 */
public final class SigninHarness implements AutoCloseable {
    public static final String ADMIN = "admin-secret-signin";
    public static final String CLIENT_ID = "sluice-gateway";
    public static final String CLIENT_SECRET = "sluice-client-secret";

    private final IdpProcess idp;
    private final Vertx vertx;
    private final SimServer sim;
    private final Gateway gateway;

    private SigninHarness(IdpProcess idp, Vertx vertx, SimServer sim, Gateway gateway) {
        this.idp = idp;
        this.vertx = vertx;
        this.sim = sim;
        this.gateway = gateway;
    }

    /** Starts everything; {@code extraSignin} is appended, indented, under {@code signin:}. */
    public static SigninHarness start(Path data, String extraSignin) {
        IdpProcess idp = IdpProcess.start();
        Vertx vertx = Vertx.vertx();
        SimServer sim = SimServer.start(vertx, SimOptions.defaults().withInstances(1)).await();
        String yaml = """
                server: {port: 0, event-loops: 1}
                admin: {keys: [{value: %s, role: write}]}
                upstreams: [{name: sim, base-url: "%s", keys: [{alias: k1, value: sk-sim-1}]}]
                store: {data-dir: "%s"}
                signin:
                  enabled: true
                  oidc: {issuer: "%s", client-id: %s, client-secret: %s, scopes: [openid, email, profile]}
                  login-notice: "Sign in with your Acme account."
                  poll-interval: 1s
                  teams:
                    - {group: eng, team: platform}
                    - {group: science, team: research}
                """.formatted(ADMIN, sim.baseUrl(), data, idp.issuer(), CLIENT_ID, CLIENT_SECRET)
                + (extraSignin == null ? "" : extraSignin.indent(2));
        Gateway gw = Gateway.start(new ConfigLoader(Map.of()).parse("signin-test", yaml)).await();
        SigninHarness h = new SigninHarness(idp, vertx, sim, gw);
        h.admin("POST", "/admin/orgs", "{\"id\":\"acme\"}");
        h.admin("POST", "/admin/teams", "{\"id\":\"platform\",\"org_id\":\"acme\"}");
        h.admin("POST", "/admin/teams", "{\"id\":\"research\",\"org_id\":\"acme\"}");
        return h;
    }

    public String url() {
        return gateway.baseUrl();
    }

    public Gateway gateway() {
        return gateway;
    }

    public SimServer sim() {
        return sim;
    }

    public IdpProcess idp() {
        return idp;
    }

    /** An admin API call that must succeed; its JSON answer. */
    public JsonNode admin(String method, String path, String body) {
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(url() + path))
                .timeout(Duration.ofSeconds(10))
                .header("authorization", "Bearer " + ADMIN).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 299);
        return Http.json(r.body());
    }

    @Override
    public void close() {
        try {
            gateway.stop().await();
        } finally {
            vertx.close().await();
            idp.close();
        }
    }
}
