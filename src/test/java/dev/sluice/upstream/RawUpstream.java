package dev.sluice.upstream;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream on a bare socket, for answers no HTTP server library will write: conflicting lengths, broken
 * chunks, a head cut in half, odd statuses, a connection closed after reading a request. Each request is
 * handed to the test's {@link Answer} with its {@code x-test-answer} header and its place on its connection.
 */
final class RawUpstream implements AutoCloseable {
    /** What the upstream does with one request; returns false to close the connection after it. */
    interface Answer {
        boolean answer(String mode, int onConnection, Socket socket, OutputStream out) throws IOException;
    }

    private final ServerSocket server;
    private final Answer answer;
    private final ConcurrentHashMap<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    RawUpstream(Answer answer) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.answer = answer;
        Thread.ofVirtual().name("raw-upstream").start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Requests that arrived with this {@code x-test-answer}. */
    int hits(String mode) {
        AtomicInteger n = hits.get(mode);
        return n == null ? 0 : n.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            for (int seq = 1; ; seq++) {
                String mode = readRequest(in);
                if (mode == null) {
                    return;
                }
                hits.computeIfAbsent(mode, k -> new AtomicInteger()).incrementAndGet();
                if (!answer.answer(mode, seq, s, out)) {
                    return;
                }
            }
        } catch (IOException e) {
            // the gateway hung up: nothing to do
        }
    }

    /** Reads one request (head and content-length body); its x-test-answer, "" without one, null at the end. */
    private static String readRequest(InputStream in) throws IOException {
        String mode = "";
        long length = 0;
        String line = readLine(in);
        if (line == null) {
            return null;
        }
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("x-test-answer")) {
                mode = value;
            } else if (name.equals("content-length")) {
                length = Long.parseLong(value);
            }
        }
        in.readNBytes((int) length);
        return mode;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String s = line.toString(ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
