package dev.sluice.signin;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.testing.Http;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP collector for tests, on a random port: takes {@code POST /v1/metrics|logs|traces},
 * keeps each body, and decodes the resource attributes of protobuf and JSON exports with its own
 * small decoder (independent of the gateway's). It can also fail every export (503) or hang until
 * closed, to exercise the relay's breaker, deadline and in-flight bound.
 */
final class TestCollector implements AutoCloseable {
    enum Mode { OK, FAIL, HANG }

    /** One export as received. */
    record Export(String path, String contentType, byte[] body) {
        /** The resource attributes of every resource in the export, in order. */
        List<Map<String, String>> resources() {
            return contentType.startsWith("application/json") ? jsonResources() : protoResources();
        }

        private List<Map<String, String>> jsonResources() {
            JsonNode root = Http.json(new String(body, StandardCharsets.UTF_8));
            List<Map<String, String>> out = new ArrayList<>();
            root.properties().forEach(e -> e.getValue().forEach(entry -> {
                Map<String, String> attrs = new LinkedHashMap<>();
                entry.path("resource").path("attributes").forEach(a -> attrs.put(a.path("key").asText(),
                        a.path("value").path("stringValue").asText()));
                out.add(attrs);
            }));
            return out;
        }

        private List<Map<String, String>> protoResources() {
            List<Map<String, String>> out = new ArrayList<>();
            for (byte[] entry : Proto.fields(body, 1)) {
                Map<String, String> attrs = new LinkedHashMap<>();
                for (byte[] resource : Proto.fields(entry, 1)) {
                    for (byte[] kv : Proto.fields(resource, 1)) {
                        String key = new String(Proto.fields(kv, 1).getFirst(), StandardCharsets.UTF_8);
                        List<byte[]> any = Proto.fields(Proto.fields(kv, 2).getFirst(), 1);
                        attrs.put(key, any.isEmpty() ? null : new String(any.getFirst(), StandardCharsets.UTF_8));
                    }
                }
                out.add(attrs);
            }
            return out;
        }
    }

    private final HttpServer server;
    private final List<Export> exports = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Mode mode = Mode.OK;

    TestCollector() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newCachedThreadPool());
        for (String signal : List.of("metrics", "logs", "traces")) {
            server.createContext("/v1/" + signal, this::handle);
        }
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    TestCollector mode(Mode m) {
        this.mode = m;
        return this;
    }

    List<Export> exports() {
        return exports;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            InputStream in = ex.getRequestBody();
            if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("content-encoding"))) {
                in = new GZIPInputStream(in);
            }
            byte[] body = in.readAllBytes();
            exports.add(new Export(ex.getRequestURI().getPath(), ex.getRequestHeaders().getFirst("content-type"), body));
            switch (mode) {
                case FAIL -> ex.sendResponseHeaders(503, -1);
                case HANG -> {
                    try {
                        closing.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                case OK -> ex.sendResponseHeaders(200, -1);
            }
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }

    /** A protobuf field reader written for the tests: the length-delimited values of one field number. */
    static final class Proto {
        private Proto() {
        }

        static List<byte[]> fields(byte[] msg, int wanted) {
            List<byte[]> out = new ArrayList<>();
            int[] pos = {0};
            while (pos[0] < msg.length) {
                long tag = varint(msg, pos);
                int type = (int) (tag & 7);
                int field = (int) (tag >>> 3);
                switch (type) {
                    case 0 -> varint(msg, pos);
                    case 1 -> pos[0] += 8;
                    case 5 -> pos[0] += 4;
                    case 2 -> {
                        int n = (int) varint(msg, pos);
                        if (field == wanted) {
                            byte[] v = new byte[n];
                            System.arraycopy(msg, pos[0], v, 0, n);
                            out.add(v);
                        }
                        pos[0] += n;
                    }
                    default -> throw new IllegalStateException("wire type " + type);
                }
            }
            return out;
        }

        private static long varint(byte[] b, int[] pos) {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                byte x = b[pos[0]++];
                v |= (long) (x & 0x7f) << shift;
                if (x >= 0) {
                    return v;
                }
            }
        }
    }
}
