package dev.sluice.sim;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bare socket HTTP/1.1 client for what {@link java.net.http.HttpClient} hides: reading an SSE stream
 * event by event with arrival times, seeing exactly where a connection dropped, and hanging up mid-stream.
 * Chunk-size lines are skipped by matching whole SSE frames in the raw bytes (the simulator never splits a
 * frame across writes).
 */
final class RawHttp implements AutoCloseable {

    private static final Pattern FRAME = Pattern.compile("event: (\\S+)\\ndata: ([^\\n]*)\\n\\n");

    /** An SSE event and the time it was read, in nanoseconds. */
    record TimedEvent(String name, String data, long atNanos) {
    }

    private final Socket socket;
    private final InputStream in;
    private final StringBuilder raw = new StringBuilder();
    private int scanned;
    private boolean eof;
    private boolean complete;

    RawHttp(int port, String path, String body, String... headers) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        byte[] bytes = body.getBytes(UTF_8);
        StringBuilder request = new StringBuilder()
                .append("POST ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n")
                .append("x-api-key: ").append(SimHarness.API_KEY).append("\r\n")
                .append("anthropic-version: 2023-06-01\r\n")
                .append("content-type: application/json\r\n")
                .append("content-length: ").append(bytes.length).append("\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        request.append("\r\n");
        socket.getOutputStream().write(request.toString().getBytes(UTF_8));
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** The next SSE event, or null at end of stream. */
    TimedEvent nextEvent() throws IOException {
        while (true) {
            Matcher matcher = FRAME.matcher(raw);
            if (matcher.find(scanned)) {
                scanned = matcher.end();
                return new TimedEvent(matcher.group(1), matcher.group(2), System.nanoTime());
            }
            if (eof || complete) {
                return null;
            }
            readMore();
        }
    }

    /** Reads every remaining event until the server closes or ends the response. */
    List<TimedEvent> remainingEvents() throws IOException {
        List<TimedEvent> events = new ArrayList<>();
        for (TimedEvent event = nextEvent(); event != null; event = nextEvent()) {
            events.add(event);
        }
        return events;
    }

    /** Everything received so far, chunk framing included. */
    String raw() {
        return raw.toString();
    }

    /** Reads until the response completes or the server closes the connection; returns everything received. */
    String readToEof() throws IOException {
        while (!eof && !complete) {
            readMore();
        }
        return raw();
    }

    /** True if the server closed the connection (as opposed to ending the response and keeping it). */
    boolean serverClosed() {
        return eof;
    }

    /** True if the chunked response ended properly with its zero-size chunk. */
    boolean completed() {
        return complete;
    }

    private void readMore() throws IOException {
        byte[] buffer = new byte[8192];
        int read;
        try {
            read = in.read(buffer);
        } catch (java.net.SocketException e) {
            read = -1; // a reset counts as closed
        }
        if (read < 0) {
            eof = true;
            return;
        }
        raw.append(new String(buffer, 0, read, UTF_8));
        // A complete chunked response ends with the zero-size chunk; stop there rather than wait for EOF.
        complete = raw.indexOf("\r\n0\r\n\r\n") >= 0;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
