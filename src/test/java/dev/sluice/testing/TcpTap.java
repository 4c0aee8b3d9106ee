package dev.sluice.testing;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A byte-level TCP relay in front of a port that keeps a copy of everything clients send, so a test
 * can compare what a real client put on the wire with what arrived behind the gateway. It parses the
 * copy as a sequence of HTTP/1.1 requests per connection.
 */
public final class TcpTap implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final List<ByteArrayOutputStream> captured = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();
    private final Thread acceptor;

    private TcpTap(int targetPort) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.acceptor = Thread.ofVirtual().name("tap-accept").start(this::acceptLoop);
    }

    public static TcpTap start(int targetPort) throws IOException {
        return new TcpTap(targetPort);
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                ByteArrayOutputStream copy = new ByteArrayOutputStream();
                synchronized (this) {
                    captured.add(copy);
                    sockets.add(client);
                    sockets.add(upstream);
                }
                Thread.ofVirtual().start(() -> pump(client, upstream, copy));
                Thread.ofVirtual().start(() -> pump(upstream, client, null));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, ByteArrayOutputStream copy) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                if (copy != null) {
                    synchronized (copy) {
                        copy.write(buf, 0, n);
                    }
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    /** A request as the client put it on the wire (a chunked body is decoded). */
    public record Request(String method, String uri, List<Map.Entry<String, String>> headers, byte[] body) {
        public List<String> values(String name) {
            return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
        }

        public String header(String name) {
            List<String> v = values(name);
            return v.isEmpty() ? null : v.getFirst();
        }

        public String path() {
            int q = uri.indexOf('?');
            return q < 0 ? uri : uri.substring(0, q);
        }
    }

    /** Every complete request seen so far, connection by connection, in order. */
    /** Connections accepted so far. */
    public synchronized int connections() {
        return captured.size();
    }

    public synchronized List<Request> requests() {
        List<Request> out = new ArrayList<>();
        for (ByteArrayOutputStream copy : captured) {
            byte[] bytes;
            synchronized (copy) {
                bytes = copy.toByteArray();
            }
            parse(bytes, out);
        }
        return out;
    }

    private static void parse(byte[] b, List<Request> out) {
        int at = 0;
        while (at < b.length) {
            int headEnd = indexOf(b, at, "\r\n\r\n");
            if (headEnd < 0) {
                return;
            }
            String[] lines = new String(b, at, headEnd - at, ISO_8859_1).split("\r\n");
            String[] requestLine = lines[0].split(" ");
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            long length = 0;
            boolean chunked = false;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                String name = lines[i].substring(0, colon).strip();
                String value = lines[i].substring(colon + 1).strip();
                headers.add(Map.entry(name, value));
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.equals("content-length")) {
                    length = Long.parseLong(value);
                } else if (lower.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                    chunked = true;
                }
            }
            at = headEnd + 4;
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                while (true) {
                    int lineEnd = indexOf(b, at, "\r\n");
                    if (lineEnd < 0) {
                        return;
                    }
                    String size = new String(b, at, lineEnd - at, ISO_8859_1);
                    int semi = size.indexOf(';');
                    int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
                    at = lineEnd + 2;
                    if (n == 0) {
                        int trailerEnd = indexOf(b, at - 2, "\r\n\r\n");
                        if (trailerEnd < 0) {
                            return;
                        }
                        at = trailerEnd + 4;
                        break;
                    }
                    if (at + n + 2 > b.length) {
                        return;
                    }
                    body.write(b, at, n);
                    at += n + 2;
                }
            } else {
                if (at + length > b.length) {
                    return;
                }
                body.write(b, at, (int) length);
                at += (int) length;
            }
            out.add(new Request(requestLine[0], requestLine[1], List.copyOf(headers), body.toByteArray()));
        }
    }

    private static int indexOf(byte[] b, int from, String needle) {
        byte[] n = needle.getBytes(ISO_8859_1);
        outer:
        for (int i = Math.max(0, from); i <= b.length - n.length; i++) {
            for (int k = 0; k < n.length; k++) {
                if (b[i + k] != n[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public synchronized void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
        acceptor.interrupt();
    }

    @Override
    public String toString() {
        return "TcpTap[" + port() + " -> " + targetPort + ", " + Arrays.toString(requests().stream().map(r -> r.method() + " " + r.uri()).toArray()) + "]";
    }
}
