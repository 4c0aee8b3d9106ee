package dev.sluice.testing;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a bare socket, for what {@link java.net.http.HttpClient} hides or forbids: reading
 * an event stream frame by frame with arrival times, chunked uploads, {@code Expect: 100-continue},
 * hanging up mid-response, and seeing whether the server closed the connection.
 */
public final class RawHttp implements AutoCloseable {
    private String statusLine;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int status;
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();
    private long contentLength = -1;
    private boolean chunked;
    private long chunkLeft;
    private boolean ended;
    private boolean eof;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static RawHttp connect(int port) throws IOException {
        return connect(port, 0);
    }

    /** Connects with a small receive buffer (when {@code receiveBuffer > 0}), to make a slow reader push back sooner. */
    public static RawHttp connect(int port, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(15_000);
        s.setTcpNoDelay(true);
        return new RawHttp(s);
    }

    /**
     * Sends a request head with the gateway key, {@code anthropic-version} and {@code content-type}
     * (unless {@code headers} name them) plus the given headers; no body yet. A header given with a null value is
     * left out (to send a request without {@code anthropic-version}).
     */
    public RawHttp head(String method, String path, String... headerPairs) throws IOException {
        StringBuilder sb = new StringBuilder().append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("host: 127.0.0.1:").append(socket.getPort()).append("\r\n");
        List<String> named = new ArrayList<>();
        for (int i = 0; i < headerPairs.length; i += 2) {
            named.add(headerPairs[i].toLowerCase(Locale.ROOT));
            if (headerPairs[i + 1] == null) {
                continue;
            }
            sb.append(headerPairs[i]).append(": ").append(headerPairs[i + 1]).append("\r\n");
        }
        if (!named.contains("x-api-key") && !named.contains("authorization")) {
            sb.append("x-api-key: ").append(SluiceHarness.GATEWAY_KEY).append("\r\n");
        }
        if (!named.contains("anthropic-version")) {
            sb.append("anthropic-version: 2023-06-01\r\n");
        }
        if (!named.contains("content-type")) {
            sb.append("content-type: application/json\r\n");
        }
        sb.append("\r\n");
        out.write(sb.toString().getBytes(ISO_8859_1));
        out.flush();
        return this;
    }

    /** A complete request with a {@code content-length} body. */
    public RawHttp post(String path, byte[] body, String... headerPairs) throws IOException {
        String[] all = new String[headerPairs.length + 2];
        System.arraycopy(headerPairs, 0, all, 0, headerPairs.length);
        all[headerPairs.length] = "content-length";
        all[headerPairs.length + 1] = Integer.toString(body.length);
        head("POST", path, all);
        out.write(body);
        out.flush();
        return this;
    }

    public RawHttp post(String path, String body, String... headerPairs) throws IOException {
        return post(path, body.getBytes(UTF_8), headerPairs);
    }

    /** Writes raw bytes (a body, or one chunk already framed). */
    public RawHttp write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Writes one chunk of a chunked upload. */
    public RawHttp chunk(byte[] data) throws IOException {
        out.write((Integer.toHexString(data.length) + "\r\n").getBytes(ISO_8859_1));
        out.write(data);
        out.write("\r\n".getBytes(ISO_8859_1));
        out.flush();
        return this;
    }

    public RawHttp lastChunk() throws IOException {
        out.write("0\r\n\r\n".getBytes(ISO_8859_1));
        out.flush();
        return this;
    }

    /** Reads the status line and headers; interim 1xx responses are returned like any other. */
    /** The status line of the last head read ({@code HTTP/1.1 200 OK}). */
    public String statusLine() {
        return statusLine;
    }

    public int readHead() throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("connection closed before a status line");
        }
        this.statusLine = statusLine;
        status = Integer.parseInt(statusLine.split(" ")[1]);
        headers.clear();
        contentLength = -1;
        chunked = false;
        for (String l = line(); l != null && !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            String name = l.substring(0, colon).strip();
            String value = l.substring(colon + 1).strip();
            headers.add(Map.entry(name, value));
            if (name.equalsIgnoreCase("content-length")) {
                contentLength = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("transfer-encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            }
        }
        ended = status / 100 == 1 || status == 204 || status == 304 || (!chunked && contentLength == 0);
        return status;
    }

    public int status() {
        return status;
    }

    public String header(String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    public List<Map.Entry<String, String>> headers() {
        return List.copyOf(headers);
    }

    /** Reads the rest of the body (to its framing end, or to the connection's end). */
    public byte[] readBody() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(pending.toByteArray());
        pending.reset();
        byte[] buf = new byte[8192];
        for (int n = readSome(buf); n >= 0; n = readSome(buf)) {
            body.write(buf, 0, n);
        }
        return body.toByteArray();
    }

    public String readBodyText() throws IOException {
        return new String(readBody(), UTF_8);
    }

    /** An event and the {@link System#nanoTime()} at which its last byte was read. */
    public record TimedEvent(String name, String data, String raw, long atNanos) {
    }

    /** The next complete SSE frame of the body, or null when the body (or the connection) ended. */
    public TimedEvent nextEvent() throws IOException {
        byte[] buf = new byte[8192];
        while (true) {
            byte[] have = pending.toByteArray();
            int end = frameEnd(have);
            if (end > 0) {
                pending.reset();
                pending.write(have, end, have.length - end);
                String raw = new String(have, 0, end, UTF_8);
                return toEvent(raw, System.nanoTime());
            }
            int n = readSome(buf);
            if (n < 0) {
                return null;
            }
            pending.write(buf, 0, n);
        }
    }

    /** Reads every remaining event. */
    public List<TimedEvent> remainingEvents() throws IOException {
        List<TimedEvent> events = new ArrayList<>();
        for (TimedEvent e = nextEvent(); e != null; e = nextEvent()) {
            events.add(e);
        }
        return events;
    }

    /** Bytes of the body read but not yet part of a complete event. */
    public String leftover() {
        return pending.toString(UTF_8);
    }

    /** True once the body ended by its framing (last chunk or full content-length). */
    public boolean ended() {
        return ended;
    }

    /** True once the server closed (or reset) the connection. */
    public boolean eof() {
        return eof;
    }

    /** Whether a byte of an answer (or the close) arrives within {@code millis}; the byte stays to be read. */
    public boolean answeredWithin(int millis) throws IOException {
        socket.setSoTimeout(millis);
        in.mark(1);
        try {
            in.read();
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        } finally {
            in.reset();
            socket.setSoTimeout(15_000);
        }
    }

    /** After the response, waits up to {@code millis} for the server to close the connection. */
    public boolean closedWithin(int millis) throws IOException {
        if (eof) {
            return true;
        }
        socket.setSoTimeout(millis);
        try {
            int b = in.read();
            eof = b < 0;
            return eof;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            eof = true;
            return true;
        } finally {
            socket.setSoTimeout(15_000);
        }
    }

    public void setReadTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    private static int frameEnd(byte[] b) {
        for (int i = 1; i < b.length; i++) {
            if (b[i] == '\n' && (b[i - 1] == '\n' || (i >= 3 && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r'))) {
                return i + 1;
            }
        }
        return -1;
    }

    private static TimedEvent toEvent(String raw, long at) {
        String name = "message";
        String data = null;
        for (String l : raw.replace("\r\n", "\n").split("\n")) {
            if (l.startsWith("event:")) {
                name = l.substring(6).strip();
            } else if (l.startsWith("data:") && data == null) {
                data = l.substring(5).strip();
            }
        }
        return new TimedEvent(name, data, raw, at);
    }

    /** Decoded body bytes into {@code buf}; -1 at the end of the body or the connection. */
    private int readSome(byte[] buf) throws IOException {
        if (ended || eof) {
            return -1;
        }
        try {
            if (chunked) {
                if (chunkLeft == 0) {
                    String size = line();
                    if (size == null) {
                        eof = true;
                        return -1;
                    }
                    if (size.isEmpty()) { // the CRLF after the previous chunk's data
                        size = line();
                        if (size == null) {
                            eof = true;
                            return -1;
                        }
                    }
                    int semi = size.indexOf(';');
                    chunkLeft = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
                    if (chunkLeft == 0) {
                        for (String t = line(); t != null && !t.isEmpty(); t = line()) {
                            // trailers: none expected
                        }
                        ended = true;
                        return -1;
                    }
                }
                int n = in.read(buf, 0, (int) Math.min(buf.length, chunkLeft));
                if (n < 0) {
                    eof = true;
                    return -1;
                }
                chunkLeft -= n;
                return n;
            }
            int max = contentLength >= 0 ? (int) Math.min(buf.length, contentLength) : buf.length;
            int n = in.read(buf, 0, max);
            if (n < 0) {
                eof = true;
                return -1;
            }
            if (contentLength >= 0) {
                contentLength -= n;
                if (contentLength == 0) {
                    ended = true;
                }
            }
            return n;
        } catch (SocketException e) {
            eof = true; // a reset counts as closed
            return -1;
        }
    }

    /** One CRLF-terminated line (without it), or null at end of stream. */
    private String line() throws IOException {
        ByteArrayOutputStream l = new ByteArrayOutputStream();
        while (true) {
            int b;
            try {
                b = in.read();
            } catch (SocketException e) {
                b = -1;
            }
            if (b < 0) {
                eof = true;
                return l.size() == 0 ? null : l.toString(ISO_8859_1);
            }
            if (b == '\n') {
                String s = l.toString(ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            l.write(b);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
