package dev.sluice.e2e;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately broken upstream: it reads a request head, answers {@code 200} with a JSON
 * content length it never fulfils, sends a few bytes of the body and then stays silent until the
 * connection is closed. The simulator has no such fault.
 */
final class StallingUpstream implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> open = new ArrayList<>();

    private StallingUpstream(ServerSocket server) {
        this.server = server;
        Thread.ofVirtual().name("stalling-upstream").start(this::serve);
    }

    static StallingUpstream start() {
        try {
            return new StallingUpstream(new ServerSocket(0, 10, InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                synchronized (open) {
                    open.add(s);
                }
                Thread.ofVirtual().start(() -> stall(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void stall(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            int matched = 0;
            byte[] end = "\r\n\r\n".getBytes(ISO_8859_1);
            while (matched < end.length) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
            }
            s.getOutputStream().write(("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n"
                    + "{\"id\":\"msg_stall\",").getBytes(ISO_8859_1));
            s.getOutputStream().flush();
            while (in.read() >= 0) {
                // silent until the gateway gives up and closes
            }
        } catch (IOException e) {
            // the gateway reset the connection
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (open) {
            for (Socket s : open) {
                s.close();
            }
        }
    }
}
