package dev.sluice.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.signin.telemetry.RelayStats;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack round 30: the telemetry endpoints answer anyone (the protocol wants 200), but an export from a caller that is
 * no live sign-in goes nowhere, so none of it may be kept. It used to be buffered to the end, up to {@code max-body}
 * each, before being dropped: uploads held open just short of their end made the gateway's heap an unauthenticated
 * sink (24 of 4 MB here held about 100 MB; with the default 1 MB, one per connection the listener allows).
 */
class TelemetryUnknownCallerMemoryTest {
    static final int UPLOADS = 24;
    static final int SIZE = 4 * 1024 * 1024;

    @TempDir
    Path data;

    @Test
    void anExportFromAnUnknownCallerIsReadWithoutBeingKept() throws Exception {
        try (TestCollector collector = new TestCollector();
             SigninHarness h = SigninHarness.builder(data).noIdp()
                     .signin("telemetry: {collectors: [\"%s\"], max-body: 8MB}".formatted(collector.url())).start()) {
            URI base = URI.create(h.url());
            long before = heapAfterGc();
            List<Socket> open = new ArrayList<>();
            try {
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < UPLOADS; i++) {
                    Socket s = new Socket(base.getHost(), base.getPort());
                    open.add(s);
                    OutputStream out = s.getOutputStream();
                    out.write(("POST /v1/logs HTTP/1.1\r\nhost: " + base.getRawAuthority() + "\r\ncontent-type: application/x-protobuf\r\n"
                            + "content-length: " + SIZE + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    for (int sent = 0; sent < SIZE - chunk.length; sent += chunk.length) {
                        out.write(chunk);
                    }
                    out.flush(); // all but the last 64 KB: the upload stays open
                }
                Thread.sleep(1_000); // let the gateway read what was sent
                long held = heapAfterGc() - before;
                assertThat(held).as("heap held by %d open unauthenticated uploads of %d bytes", UPLOADS, SIZE)
                        .isLessThan(24L * 1024 * 1024);
                for (Socket s : open) {
                    s.getOutputStream().write(new byte[64 * 1024]); // the rest: each is answered and counted
                    s.getOutputStream().flush();
                }
                RelayStats stats = h.gateway().signin().telemetryStats();
                OAuth.eventually(Duration.ofSeconds(20), () -> stats.count(RelayStats.Outcome.UNAUTHENTICATED) == UPLOADS ? true : null);
                assertThat(collector.exports()).isEmpty();
            } finally {
                for (Socket s : open) {
                    s.close();
                }
            }
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
