package dev.sluice.respond;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A request refused before its body is read (here a wrong key: authentication runs before the body is read) gets its
 * answer even while the client is still sending the body. The gateway used to close the connection as soon as the
 * answer was written; with the body's bytes still unread the kernel sends a reset, which the client met mid-upload
 * ("connection reset", "header parser received no bytes") instead of its 401 and the reason for it.
 */
class RefusalBeforeBodyTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.standard();
    private static final String WRONG_KEY = "sk-not-issued-0123456789";

    @Test
    void aClientStillSendingItsBodyReadsItsRefusal() throws Exception {
        byte[] body = bigBody(4 * 1024 * 1024);
        byte[] head = ("POST /v1/messages HTTP/1.1\r\nhost: 127.0.0.1\r\nx-api-key: " + WRONG_KEY
                + "\r\nanthropic-version: 2023-06-01\r\ncontent-type: application/json\r\ncontent-length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        try (Socket s = new Socket()) {
            s.setSendBufferSize(16 * 1024); // a client whose upload is still under way when the answer comes
            s.setSoTimeout(10_000);
            s.connect(new InetSocketAddress("127.0.0.1", SLUICE.gatewayPort()));
            OutputStream out = s.getOutputStream();
            out.write(head);
            for (int at = 0; at < body.length; at += 16 * 1024) {
                out.write(body, at, Math.min(16 * 1024, body.length - at)); // the gateway reads and drops the rest
            }
            out.flush();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8); // to the close
            assertThat(answer).startsWith("HTTP/1.1 401").containsIgnoringCase("connection: close")
                    .contains("\"authentication_error\"");
        }
        assertThat(SLUICE.recorder().received()).isEmpty();
    }

    @Test
    void aClientThatStopsSendingIsClosedAfterTheLinger() throws Exception {
        try (Socket s = new Socket("127.0.0.1", SLUICE.gatewayPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("POST /v1/messages HTTP/1.1\r\nhost: 127.0.0.1\r\nx-api-key: " + WRONG_KEY
                    + "\r\ncontent-type: application/json\r\ncontent-length: 4000000\r\n\r\n{\"model\":")
                    .getBytes(StandardCharsets.ISO_8859_1)); // and never the rest
            long sent = System.nanoTime();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            long heldMillis = (System.nanoTime() - sent) / 1_000_000;
            assertThat(answer).startsWith("HTTP/1.1 401");
            assertThat(heldMillis).as("closed after at most the linger, not the body timeout")
                    .isLessThan(LingeringClose.MAX_MILLIS + 3_000);
        }
    }

    @Test
    void aRequestPipelinedBehindARefusalIsNotServed() throws Exception {
        byte[] body = bigBody(190); // a size at which the HTTP layer handed the second request over before the close
        String one = "POST /v1/messages HTTP/1.1\r\nhost: 127.0.0.1\r\nx-api-key: %s\r\nanthropic-version: 2023-06-01"
                + "\r\ncontent-type: application/json\r\ncontent-length: " + body.length + "\r\n\r\n";
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(one.formatted(WRONG_KEY).getBytes(StandardCharsets.ISO_8859_1));
        both.write(body);
        both.write(one.formatted(SluiceHarness.GATEWAY_KEY).getBytes(StandardCharsets.ISO_8859_1));
        both.write(body);
        try (Socket s = new Socket("127.0.0.1", SLUICE.gatewayPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(both.toByteArray());
            String answers = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answers).startsWith("HTTP/1.1 401");
            assertThat(answers.split("HTTP/1.1 ", -1)).as("one answer, then the close it announced").hasSize(2);
        }
        Thread.sleep(300); // a request forwarded after all would reach the upstream by now
        assertThat(SLUICE.recorder().received()).as("the pipelined request was not forwarded (nor billed)").isEmpty();
    }

    /** A Messages request whose one user turn is {@code size} bytes of text. */
    private static byte[] bigBody(int size) {
        String text = "x".repeat(size);
        return ("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"" + text
                + "\"}]}").getBytes(StandardCharsets.UTF_8);
    }
}
