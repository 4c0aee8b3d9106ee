package dev.sluice.e2e;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream whose 200 streams are framed wrong, as the simulator never sends them: the request's text names the
 * fault ({@code FAULT:no-start}, {@code FAULT:garbage}, {@code FAULT:bom}; {@code FAULT:json} answers a whole JSON
 * message, whatever the request's {@code stream} flag; any other text gets a good stream, whatever the flag), the
 * answer is written whole and the connection closed. Counts the requests it was sent.
 */
final class MisframedStreamUpstream implements AutoCloseable {
    static final String START = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_misframed\","
            + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],"
            + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}\n\n";
    static final String BODY = "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
            + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
            + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
            + "\"delta\":{\"type\":\"text_delta\",\"text\":\"hello\"}}\n\n"
            + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
            + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
            + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":5}}\n\n"
            + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

    static final String MESSAGE = "{\"id\":\"msg_misframed\",\"type\":\"message\",\"role\":\"assistant\","
            + "\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[{\"type\":\"text\",\"text\":\"hello\"}],"
            + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":10,\"output_tokens\":5}}";

    private final ServerSocket server;
    private final AtomicInteger requests = new AtomicInteger();

    private MisframedStreamUpstream(ServerSocket server) {
        this.server = server;
        Thread.ofVirtual().name("misframed-upstream").start(this::serve);
    }

    static MisframedStreamUpstream start() {
        try {
            return new MisframedStreamUpstream(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    int port() {
        return server.getLocalPort();
    }

    int requests() {
        return requests.get();
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> answer(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void answer(Socket s) {
        try (s) {
            String request = read(s.getInputStream());
            requests.incrementAndGet();
            String fault = fault(request);
            String stream = switch (fault) {
                case "no-start" -> BODY; // content blocks and a message_stop, no message_start
                case "garbage" -> "this is not an event stream\n\n{{{{\n\ndata: {broken\n\n";
                case "bom" -> "\uFEFF" + START + BODY;
                case "json" -> MESSAGE;
                default -> START + BODY;
            };
            byte[] bytes = stream.getBytes(UTF_8);
            OutputStream out = s.getOutputStream();
            String type = fault.equals("json") ? "application/json" : "text/event-stream";
            out.write(("HTTP/1.1 200 OK\r\ncontent-type: " + type + "\r\ncontent-length: " + bytes.length
                    + "\r\nconnection: close\r\n\r\n").getBytes(ISO_8859_1));
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            // the gateway reset the connection
        }
    }

    private static String fault(String request) {
        int at = request.indexOf("FAULT:");
        if (at < 0) {
            return "";
        }
        int end = at + 6;
        while (end < request.length() && (Character.isLetterOrDigit(request.charAt(end)) || request.charAt(end) == '-')) {
            end++;
        }
        return request.substring(at + 6, end).toLowerCase(Locale.ROOT);
    }

    /** The request's head and its content-length body. */
    private static String read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(ISO_8859_1);
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                return head.toString(ISO_8859_1);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
        String text = head.toString(ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        return text + new String(in.readNBytes(length), UTF_8);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
