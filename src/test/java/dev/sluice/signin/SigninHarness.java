package dev.sluice.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Gateway;
import dev.sluice.config.ConfigLoader;
import dev.sluice.signin.session.SessionStore;
import dev.sluice.signin.session.SignedInUser;
import dev.sluice.sim.SimOptions;
import dev.sluice.sim.SimServer;
import dev.sluice.testing.Http;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real OpenID Connect provider ({@link IdpProcess}: mock-oauth2-server with its login form), the
 * simulated upstream, and a gateway with sign-in on, an admin key, and org {@code acme} with teams
 * {@code platform} and {@code research}. Groups map to teams: {@code eng} → platform,
 * {@code science} → research; developers in no mapped group are refused.
 *
 * <p>{@link #builder} varies it: another store (PostgreSQL, for replicas), a fixed port and public
 * URL, extra top-level sections, an IdP shared with another gateway or none at all (tests that mint
 * sessions directly), and {@link #restartGateway()} to stop and start the gateway on the same data.
 */
public final class SigninHarness implements AutoCloseable {
    public static final String ADMIN = "admin-secret-signin";
    public static final String CLIENT_ID = "sluice-gateway";
    public static final String CLIENT_SECRET = "sluice-client-secret";

    private final IdpProcess idp;
    private final boolean ownsIdp;
    private final Vertx vertx;
    private final SimServer sim;
    private final String yaml;
    private Gateway gateway;

    private SigninHarness(IdpProcess idp, boolean ownsIdp, Vertx vertx, SimServer sim, String yaml) {
        this.idp = idp;
        this.ownsIdp = ownsIdp;
        this.vertx = vertx;
        this.sim = sim;
        this.yaml = yaml;
    }

    /** Starts everything; {@code extraSignin} is appended, indented, under {@code signin:}. */
    public static SigninHarness start(Path data, String extraSignin) {
        return builder(data).signin(extraSignin).start();
    }

    public static Builder builder(Path data) {
        return new Builder(data);
    }

    /** How to start one. */
    public static final class Builder {
        private final Path data;
        private String signin;
        private String top = "";
        private String store;
        private String server = "";
        private IdpProcess sharedIdp;
        private boolean idp = true;
        private boolean seed = true;
        private String oidc = "";

        private Builder(Path data) {
            this.data = data;
        }

        /** YAML appended under {@code signin:}. */
        public Builder signin(String yaml) {
            this.signin = yaml;
            return this;
        }

        /** Flow-style extra keys of {@code signin.oidc}, e.g. {@code "prompt: login"}. */
        public Builder oidc(String flowKeys) {
            this.oidc = flowKeys;
            return this;
        }

        /** Top-level YAML sections appended to the file. */
        public Builder top(String yaml) {
            this.top = yaml;
            return this;
        }

        /** Flow-style extra keys of {@code server:}, e.g. {@code "tls: {self-signed: true}"}. */
        public Builder server(String flowKeys) {
            this.server = flowKeys;
            return this;
        }

        /** Flow-style {@code store:} section content; default SQLite in the data directory. */
        public Builder store(String flowKeys) {
            this.store = flowKeys;
            return this;
        }

        /** Use another harness's IdP (replicas sign in through one provider). */
        public Builder idp(IdpProcess shared) {
            this.sharedIdp = shared;
            return this;
        }

        /** No IdP process: for tests that mint sessions directly ({@link #session}). */
        public Builder noIdp() {
            this.idp = false;
            return this;
        }

        /** Skip creating org and teams (a replica on a database another gateway already seeded). */
        public Builder noSeed() {
            this.seed = false;
            return this;
        }

        public SigninHarness start() {
            IdpProcess provider = sharedIdp != null ? sharedIdp : idp ? IdpProcess.start() : null;
            Vertx vertx = Vertx.vertx();
            SimServer sim = SimServer.start(vertx, SimOptions.defaults().withInstances(1)).await();
            String issuer = provider == null ? "http://127.0.0.1:9/corp" : provider.issuer();
            String yaml = """
                    server: {port: 0, event-loops: 1%s}
                    admin: {keys: [{value: %s, role: write}]}
                    upstreams: [{name: sim, base-url: "%s", keys: [{alias: k1, value: sk-sim-1}]}]
                    store: {%s}
                    signin:
                      enabled: true
                      oidc: {issuer: "%s", client-id: %s, client-secret: %s, scopes: [openid, email, profile]%s}
                      login-notice: "Sign in with your Acme account."
                      poll-interval: 1s
                      teams:
                        - {group: eng, team: platform}
                        - {group: science, team: research}
                    """.formatted(server.isEmpty() ? "" : ", " + server, ADMIN, sim.baseUrl(),
                    store != null ? store : "data-dir: \"" + data + "\"", issuer, CLIENT_ID, CLIENT_SECRET,
                    oidc.isEmpty() ? "" : ", " + oidc)
                    + (signin == null ? "" : signin.indent(2)) + top;
            SigninHarness h = new SigninHarness(provider, sharedIdp == null && provider != null, vertx, sim, yaml);
            h.gateway = h.startGateway();
            if (seed) {
                h.admin("POST", "/admin/orgs", "{\"id\":\"acme\"}");
                h.admin("POST", "/admin/teams", "{\"id\":\"platform\",\"org_id\":\"acme\"}");
                h.admin("POST", "/admin/teams", "{\"id\":\"research\",\"org_id\":\"acme\"}");
            }
            return h;
        }
    }

    private Gateway startGateway() {
        return Gateway.start(new ConfigLoader(Map.of()).parse("signin-test", yaml)).await();
    }

    /** Stops the gateway and starts a new one on the same configuration and data (a restart, or a deploy). */
    public void restartGateway() {
        gateway.stop().await();
        gateway = startGateway();
    }

    /** A free local port, for gateways whose URL must be known before they start. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return gateway.baseUrl();
    }

    /** The configuration text the gateway started with (for reload tests). */
    public String yaml() {
        return yaml;
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

    /** A session opened directly in the gateway's store (no browser), and its access token. */
    public String session(String email, List<String> groups, String team) {
        SignedInUser u = new SignedInUser(email.toLowerCase(java.util.Locale.ROOT), email, groups, team, "acme", Map.of());
        SessionStore.Issued issued = gateway.signin().sessions().open(u, "test");
        return gateway.signin().tokens().issue(issued.session());
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
            if (ownsIdp) {
                idp.close();
            }
        }
    }
}
