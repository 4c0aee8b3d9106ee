package dev.sluice.trace;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * A minimal OTLP/HTTP collector: accepts {@code POST /v1/traces} protobuf export requests on a random
 * port and decodes every span in them (ids, parent, name, kind, times, attributes, status).
 */
final class OtlpReceiver implements AutoCloseable {
    /** One decoded span. Ids are lower-case hex; {@code parentSpanId} is empty for a root span. */
    record ReceivedSpan(String traceId, String spanId, String parentSpanId, String name, int kind,
                        long startEpochNanos, long endEpochNanos, Map<String, Object> attributes,
                        int statusCode, String statusMessage, Map<String, Object> resource) {
        static final int KIND_INTERNAL = 1;
        static final int KIND_SERVER = 2;
        static final int KIND_CLIENT = 3;
        static final int STATUS_ERROR = 2;
    }

    private static final HexFormat HEX = HexFormat.of();
    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/traces", this::handle);
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    List<ReceivedSpan> spans() {
        return spans;
    }

    List<String> contentTypes() {
        return contentTypes;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            contentTypes.add(exchange.getRequestHeaders().getFirst("content-type"));
            InputStream in = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("content-encoding"))) {
                in = new GZIPInputStream(in);
            }
            try {
                decodeRequest(new ProtoReader(in.readAllBytes()));
            } catch (RuntimeException e) {
                // Make a decoding bug visible in the test output instead of as a dropped connection.
                e.printStackTrace();
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            // An empty ExportTraceServiceResponse: full success.
            exchange.getResponseHeaders().set("content-type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    /** ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; } */
    private void decodeRequest(ProtoReader r) {
        while (r.next()) {
            if (r.field() == 1) {
                decodeResourceSpans(r.message());
            } else {
                r.skip();
            }
        }
    }

    /** ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; } */
    private void decodeResourceSpans(ProtoReader r) {
        Map<String, Object> resource = Map.of();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> resource = decodeResource(r.message());
                case 2 -> decodeScopeSpans(r.message(), resource);
                default -> r.skip();
            }
        }
    }

    /** Resource { repeated KeyValue attributes = 1; } */
    private static Map<String, Object> decodeResource(ProtoReader r) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        while (r.next()) {
            if (r.field() == 1) {
                decodeKeyValue(r.message(), attrs);
            } else {
                r.skip();
            }
        }
        return attrs;
    }

    /** ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; } */
    private void decodeScopeSpans(ProtoReader r, Map<String, Object> resource) {
        while (r.next()) {
            if (r.field() == 2) {
                spans.add(decodeSpan(r.message(), resource));
            } else {
                r.skip();
            }
        }
    }

    /** Span: trace_id 1, span_id 2, parent_span_id 4, name 5, kind 6, start 7, end 8, attributes 9, status 15. */
    private static ReceivedSpan decodeSpan(ProtoReader r, Map<String, Object> resource) {
        String traceId = "", spanId = "", parent = "", name = "", statusMessage = "";
        int kind = 0, statusCode = 0;
        long start = 0, end = 0;
        Map<String, Object> attrs = new LinkedHashMap<>();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> traceId = HEX.formatHex(r.bytes());
                case 2 -> spanId = HEX.formatHex(r.bytes());
                case 4 -> parent = HEX.formatHex(r.bytes());
                case 5 -> name = r.string();
                case 6 -> kind = (int) r.varint();
                case 7 -> start = r.fixed64();
                case 8 -> end = r.fixed64();
                case 9 -> decodeKeyValue(r.message(), attrs);
                case 15 -> {
                    ProtoReader status = r.message();
                    while (status.next()) {
                        switch (status.field()) {
                            case 2 -> statusMessage = status.string();
                            case 3 -> statusCode = (int) status.varint();
                            default -> status.skip();
                        }
                    }
                }
                default -> r.skip();
            }
        }
        return new ReceivedSpan(traceId, spanId, parent, name, kind, start, end, attrs, statusCode, statusMessage, resource);
    }

    /** KeyValue { string key = 1; AnyValue value = 2; } */
    private static void decodeKeyValue(ProtoReader r, Map<String, Object> into) {
        String key = null;
        Object value = null;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> key = r.string();
                case 2 -> value = decodeAnyValue(r.message());
                default -> r.skip();
            }
        }
        into.put(key, value);
    }

    /** AnyValue { oneof: string 1, bool 2, int64 3, double 4, ... } */
    private static Object decodeAnyValue(ProtoReader r) {
        Object value = null;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> value = r.string();
                case 2 -> value = r.varint() != 0;
                case 3 -> value = r.varint();
                case 4 -> value = Double.longBitsToDouble(r.fixed64());
                default -> r.skip();
            }
        }
        return value;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
