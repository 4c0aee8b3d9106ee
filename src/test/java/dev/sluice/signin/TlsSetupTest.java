package dev.sluice.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.ServerConfig;
import dev.sluice.signin.tls.TlsSetup;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/** A real TLS listener configured by {@link TlsSetup}: the certificate a client sees has the fingerprint we print. */
class TlsSetupTest {
    @Test
    void selfSignedCertificateIsServedAndItsFingerprintIsTheOnePrinted() throws Exception {
        HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0);
        TlsSetup.Applied applied = TlsSetup.apply(options, new ServerConfig.Tls(null, null, true, "localhost"));
        assertThat(applied.selfSigned()).isTrue();
        assertThat(applied.fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer server = vertx.createHttpServer(options).requestHandler(r -> r.response().end("ok")).listen().await();
            X509Certificate[] seen = new X509Certificate[1];
            // Trust on first use, like the CLI: accept whatever is presented, then compare fingerprints.
            TrustManager tofu = new X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] c, String a) { }
                public void checkServerTrusted(X509Certificate[] c, String a) { seen[0] = c[0]; }
                public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            };
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[] {tofu}, new SecureRandom());
            try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) ssl.getSocketFactory()
                    .createSocket("127.0.0.1", server.actualPort())) {
                socket.startHandshake();
                socket.getOutputStream().write("GET / HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n"
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                String reply = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
                assertThat(reply).startsWith("HTTP/1.1 200").endsWith("ok");
            }
            assertThat(TlsSetup.fingerprint(seen[0])).isEqualTo(applied.fingerprint());
        } finally {
            vertx.close().await();
        }
    }

    @Test
    void noTlsSectionLeavesOptionsAlone() {
        HttpServerOptions options = new HttpServerOptions();
        assertThat(TlsSetup.apply(options, ServerConfig.Tls.defaults())).isNull();
        assertThat(options.isSsl()).isFalse();
    }
}
