package dev.sluice.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack round 30: what a browser (or a hand-edited link) may send the verification page. A query with a malformed
 * escape used to throw where the page read its parameters, and the browser waited for an answer that never came.
 * Sent over a plain socket, since Java's URI refuses to build such a link at all (browsers send it as typed).
 */
class VerificationPageInputTest {
    @TempDir
    Path data;

    @Test
    void aMalformedEscapeInTheQueryIsAPageSayingSo() throws Exception {
        try (SigninHarness h = SigninHarness.builder(data).noIdp().start()) {
            for (String target : new String[] {"/device?user_code=%ZZ", "/device/callback?state=abc&code=%G1", "/device?user_code=%"}) {
                String answer = get(URI.create(h.url()), target);
                assertThat(answer).as(target).startsWith("HTTP/1.1 400 ").contains("This link is malformed")
                        .contains("frame-ancestors 'none'");
            }
            assertThat(get(URI.create(h.url()), "/device?user_code=BCDF-GHJK")).startsWith("HTTP/1.1 200 ");
        }
    }

    /** The whole answer to a GET sent as written ({@code connection: close}, 10 s at most). */
    static String get(URI base, String target) throws Exception {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nhost: " + base.getRawAuthority()
                    + "\r\nconnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
