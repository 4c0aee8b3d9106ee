package dev.sluice.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.config.ConfigException;
import dev.sluice.config.UpstreamConfig;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upstream behind a certificate no public authority signed (a self-hosted server on an internal CA): with its
 * {@code ca-file} the gateway trusts it; without, the attempt fails as the handshake should, and the gateway answers
 * in the client's envelope. A ca-file that cannot serve is refused when the configuration is applied.
 */
class UpstreamCaFileTest {
    private static final Vertx VERTX = Vertx.vertx();
    private static final SelfSignedCertificate CERT = SelfSignedCertificate.create("localhost");
    private static HttpServer upstream;

    @BeforeAll
    static void start() {
        upstream = VERTX.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(CERT.keyCertOptions()))
                .requestHandler(req -> req.body().onSuccess(b -> req.response().putHeader("content-type", "application/json")
                        .end("{\"id\":\"msg_tls\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
                                + "\"content\":[{\"type\":\"text\",\"text\":\"over tls\"}],\"stop_reason\":\"end_turn\","
                                + "\"usage\":{\"input_tokens\":12,\"output_tokens\":3}}")))
                .listen(0, "127.0.0.1").await();
    }

    @AfterAll
    static void stop() {
        VERTX.close().await();
        CERT.delete();
    }

    private static String yaml(String caLine) {
        return """
                server: {port: 0, event-loops: 1}
                auth: {keys: ["${GATEWAY_KEY}"]}
                upstreams:
                  - name: internal
                    base-url: "https://localhost:%d"
                    keys: [{alias: i1, value: sk-ant-internal}]
                %s
                """.formatted(upstream.actualPort(), caLine);
    }

    @Test
    void itsOwnAuthoritiesAreTrusted() {
        try (SluiceHarness h = SluiceHarness.start(yaml("    ca-file: \"" + CERT.certificatePath() + "\""))) {
            HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("hello over tls", false));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(Http.json(r.body()).at("/content/0/text").asText()).isEqualTo("over tls");
        }
    }

    @Test
    void withoutThemTheHandshakeFailsAndTheClientGetsAnEnvelope() {
        try (SluiceHarness h = SluiceHarness.start(yaml(""))) {
            HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("untrusted", false));
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(Http.json(r.body()).at("/error/message").asText()).isEqualTo("Could not reach upstream 'internal'");
        }
    }

    @Test
    void aCaFileThatCannotServeIsRefusedWithItsReason(@TempDir Path dir) throws Exception {
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
        assertThatThrownBy(() -> UpstreamSpec.of(config("https://localhost:1", notPem.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ca-file").hasMessageContaining("PEM");
        assertThatThrownBy(() -> UpstreamSpec.of(config("https://localhost:1", dir.resolve("missing.pem").toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot be read");
        assertThatThrownBy(() -> UpstreamSpec.of(config("http://localhost:1", CERT.certificatePath())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not https");
        assertThat(UpstreamSpec.of(config("https://localhost:1", CERT.certificatePath())).caPem()).contains("BEGIN CERTIFICATE");
    }

    /** Old code: a FIFO blocked the reload until a writer came; /dev/zero (size 0) was read until the heap ran out. */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard: the old read never returned
    void aPathThatIsNotARegularFileIsRefusedWithoutReadingIt(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("ca.fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Path zero = Files.createSymbolicLink(dir.resolve("zero.pem"), Path.of("/dev/zero"));
        for (Path p : List.of(fifo, zero, dir)) {
            assertThatThrownBy(() -> UpstreamSpec.of(config("https://localhost:1", p.toString())))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("not a regular file");
        }
    }

    /** A certificate in DER passed the old check (the JDK reads both) but is no PEM for the connection pool. */
    @Test
    void aDerCertificateIsRefusedAsNotPem(@TempDir Path dir) throws Exception {
        String pem = Files.readString(Path.of(CERT.certificatePath()));
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        Path der = Files.write(dir.resolve("ca.der"), java.util.Base64.getDecoder().decode(base64));
        assertThatThrownBy(() -> UpstreamSpec.of(config("https://localhost:1", der.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PEM");
    }

    @Test
    void aChangedFileIsANewPoolAnUnchangedOneKeepsIt() {
        UpstreamSpec a = UpstreamSpec.of(config("https://localhost:1", CERT.certificatePath()));
        UpstreamSpec b = UpstreamSpec.of(config("https://localhost:1", CERT.certificatePath()));
        UpstreamSpec none = UpstreamSpec.of(config("https://localhost:1", null));
        assertThat(a.endpoint(1000)).isEqualTo(b.endpoint(1000)).isNotEqualTo(none.endpoint(1000));
    }

    private static UpstreamConfig config(String baseUrl, String caFile) {
        return new UpstreamConfig("internal", "anthropic", baseUrl, List.of(), null, null, null, null, null, null, null,
                null, null, caFile, null);
    }
}
