package dev.sluice.signin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.ServerConfig;
import dev.sluice.signin.tls.TlsSetup;
import dev.sluice.testing.Http;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The front with {@code server.tls}, reached by the JDK's own HTTPS client the way the CLI does it:
 * trust on first use, then compare the leaf's SHA-256 fingerprint with the one the gateway printed.
 * HTTP/2 is negotiated by ALPN and carries a signed-in model request through the whole pipeline;
 * HTTP/1.1 still works; the discovery document names https URLs.
 */
class TlsFrontTest {
    @TempDir
    Path data;
    @TempDir
    Path pem;

    @Test
    void aSelfSignedGatewayServesHttp2AndTheFingerprintItPrints() throws Exception {
        try (SigninHarness h = SigninHarness.builder(data).noIdp().noSeed().server("tls: {self-signed: true}").start()) {
            String base = "https://127.0.0.1:" + h.gateway().port();
            Tofu tofu = new Tofu();
            HttpClient client = tofu.client(HttpClient.Version.HTTP_2);
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.version()).as("ALPN chose HTTP/2").isEqualTo(HttpClient.Version.HTTP_2);
            String printed = TlsSetup.resolve(new ServerConfig.Tls(null, null, true, null)).fingerprint();
            assertThat(TlsSetup.fingerprint(tofu.seen)).isEqualTo(printed).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");

            JsonNode discovery = Http.json(client.send(HttpRequest.newBuilder(URI.create(base + "/.well-known/oauth-authorization-server"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(discovery.get("token_endpoint").asText()).isEqualTo(base + "/oauth/token");

            String token = h.session("dev@corp.example", List.of("eng"), "platform");
            HttpResponse<String> msg = client.send(HttpRequest.newBuilder(URI.create(base + "/v1/messages"))
                    .header("authorization", "Bearer " + token).header("anthropic-version", "2023-06-01")
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":16,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(msg.statusCode()).as(msg.body()).isEqualTo(200);
            assertThat(msg.version()).isEqualTo(HttpClient.Version.HTTP_2);

            HttpResponse<String> h1 = new Tofu().client(HttpClient.Version.HTTP_1_1).send(HttpRequest.newBuilder(URI.create(base + "/healthz"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(h1.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(h1.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theOperatorsCertificateIsServed() throws Exception {
        SelfSignedCertificate made = SelfSignedCertificate.create("gw.corp.example");
        Path cert = Files.copy(Path.of(made.certificatePath()), pem.resolve("gw.crt"));
        Path key = Files.copy(Path.of(made.privateKeyPath()), pem.resolve("gw.key"));
        String tls = "tls: {cert-file: \"%s\", key-file: \"%s\"}".formatted(cert, key);
        try (SigninHarness h = SigninHarness.builder(data).noIdp().noSeed().server(tls).start()) {
            Tofu tofu = new Tofu();
            HttpResponse<String> r = tofu.client(HttpClient.Version.HTTP_2).send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + h.gateway().port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(TlsSetup.fingerprint(tofu.seen)).isEqualTo(TlsSetup.fingerprint(cert));
            assertThat(tofu.seen.getSubjectX500Principal().getName()).contains("gw.corp.example");
        }
    }

    @Test
    void aHalfConfiguredTlsSectionIsRefusedNamingTheKey() {
        ConfigLoader loader = new ConfigLoader(Map.of());
        assertThatThrownBy(() -> loader.parse("bad", "server: {tls: {cert-file: /etc/gw.crt}}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("server.tls").hasMessageContaining("key-file");
        assertThatThrownBy(() -> loader.parse("bad", "server: {tls: {self-signed: true, cert-file: a, key-file: b}}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("one or the other");
    }

    /** Trusts whatever the server presents and keeps its leaf, as the CLI does on first contact. */
    static final class Tofu extends X509ExtendedTrustManager {
        volatile X509Certificate seen;

        HttpClient client(HttpClient.Version version) throws Exception {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[] {this}, new SecureRandom());
            return HttpClient.newBuilder().sslContext(ssl).version(version).connectTimeout(Duration.ofSeconds(5)).build();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            seen = chain[0];
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            seen = chain[0];
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            seen = chain[0];
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
