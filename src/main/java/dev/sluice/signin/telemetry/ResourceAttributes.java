package dev.sluice.signin.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.wire.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * Sets resource attributes on every resource of an OTLP export request, in either encoding. The
 * three signals share the shape this touches: the request's field 1 (JSON {@code resourceSpans},
 * {@code resourceMetrics}, {@code resourceLogs}) lists entries whose field 1 is a {@code Resource},
 * whose field 1 lists {@code KeyValue}s. Attributes with the same keys that the client sent are
 * replaced, so a client cannot pass itself off as another developer; everything else is copied
 * byte for byte (protobuf) or value for value (JSON).
 */
final class ResourceAttributes {
    private ResourceAttributes() {
    }

    /** {@code ExportXServiceRequest} protobuf with {@code attributes} on every resource. */
    static byte[] protobuf(byte[] body, Map<String, String> attributes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 256);
        ProtoWire.Reader request = new ProtoWire.Reader(body, 0, body.length);
        while (request.next()) {
            if (request.field() == 1) {
                ProtoWire.writeLen(out, 1, resourceEntry(request.message(), attributes));
            } else {
                request.copyTo(out);
            }
        }
        return out.toByteArray();
    }

    /**
     * ResourceSpans / ResourceMetrics / ResourceLogs: {@code Resource resource = 1;} then the data. A protobuf parser
     * merges every occurrence of a message field into one, so every {@code resource} the client sent is read here as
     * that merge (their contents concatenated, which parses as the merge) and written back as one: a second
     * {@code resource} copied as it came would have added the client's own {@code user.id} to ours.
     */
    private static byte[] resourceEntry(ProtoWire.Reader entry, Map<String, String> attributes) {
        ByteArrayOutputStream merged = new ByteArrayOutputStream();
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        while (entry.next()) {
            if (entry.field() == 1) {
                entry.contentTo(merged);
            } else {
                entry.copyTo(rest);
            }
        }
        byte[] resource = merged.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream(resource.length + rest.size() + 256);
        ProtoWire.writeLen(out, 1, resource(new ProtoWire.Reader(resource, 0, resource.length), attributes));
        out.writeBytes(rest.toByteArray());
        return out.toByteArray();
    }

    /** Resource: {@code repeated KeyValue attributes = 1;} and other fields, copied. */
    private static byte[] resource(ProtoWire.Reader resource, Map<String, String> attributes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (resource.next()) {
            if (resource.field() == 1 && attributes.containsKey(key(resource.message()))) {
                continue; // ours replaces the client's
            }
            resource.copyTo(out);
        }
        attributes.forEach((k, v) -> ProtoWire.writeLen(out, 1, keyValue(k, v)));
        return out.toByteArray();
    }

    /** A KeyValue's key as a parser reads it: the last occurrence of field 1 wins, as for every scalar field. */
    private static String key(ProtoWire.Reader keyValue) {
        String key = "";
        while (keyValue.next()) {
            if (keyValue.field() == 1) {
                key = keyValue.string();
            }
        }
        return key;
    }

    /** KeyValue {@code {key = 1; AnyValue value = 2 {string_value = 1}}}. */
    private static byte[] keyValue(String key, String value) {
        ByteArrayOutputStream any = new ByteArrayOutputStream();
        ProtoWire.writeString(any, 1, value);
        ByteArrayOutputStream kv = new ByteArrayOutputStream();
        ProtoWire.writeString(kv, 1, key);
        ProtoWire.writeLen(kv, 2, any.toByteArray());
        return kv.toByteArray();
    }

    /** An OTLP/JSON export request with {@code attributes} on every resource; null when it is not one. */
    static byte[] json(byte[] body, Signal signal, Map<String, String> attributes) throws IOException {
        JsonNode root = Json.MAPPER.readTree(body);
        if (!(root instanceof ObjectNode doc)) {
            return null;
        }
        // Both spellings: OTLP/JSON readers accept either, and a collector reading both would take the one left alone.
        for (String field : new String[] {signal.jsonField(), signal.protoField()}) {
            JsonNode entries = doc.get(field);
            if (entries != null && !(entries instanceof ArrayNode)) {
                return null;
            }
            if (entries != null) {
                for (JsonNode e : entries) {
                    if (e instanceof ObjectNode entry) {
                        setOn(entry, attributes);
                    }
                }
            }
        }
        return Json.MAPPER.writeValueAsBytes(doc);
    }

    private static void setOn(ObjectNode entry, Map<String, String> attributes) {
        JsonNode r = entry.get("resource");
        ObjectNode resource = r instanceof ObjectNode o ? o : entry.putObject("resource");
        JsonNode a = resource.get("attributes");
        ArrayNode list = a instanceof ArrayNode arr ? arr : resource.putArray("attributes");
        for (int i = list.size() - 1; i >= 0; i--) {
            if (attributes.containsKey(list.get(i).path("key").asText(null))) {
                list.remove(i);
            }
        }
        attributes.forEach((k, v) -> list.addObject().put("key", k).putObject("value").put("stringValue", v));
    }
}
