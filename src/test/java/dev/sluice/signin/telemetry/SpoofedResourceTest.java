package dev.sluice.signin.telemetry;

import static dev.sluice.signin.telemetry.ProtoBytes.concat;
import static dev.sluice.signin.telemetry.ProtoBytes.len;
import static dev.sluice.signin.telemetry.ProtoBytes.string;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import dev.sluice.wire.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Attack round 30: a signed-in client passing itself off as another developer in its telemetry. The relay's
 * rewrite is read back with protobuf-java's own parser (OTLP's shape, built at run time), as a collector reads it:
 * a repeated {@code key} in a KeyValue (the last one counts) and a second {@code resource} in an entry (merged into
 * the first) each used to carry the client's {@code user.id} past the rewrite, beside ours.
 */
class SpoofedResourceTest {
    static final Map<String, String> OURS = Map.of("user.id", "dev@corp.example");
    static final Descriptors.Descriptor EXPORT = otlpLogs();

    @Test
    void aRepeatedKeyInAKeyValueIsReadAsTheParserReadsIt() throws Exception {
        byte[] twoKeys = concat(string(1, "service.name"), string(1, "user.id"), len(2, string(1, "boss@corp.example")));
        byte[] request = len(1, len(1, len(1, twoKeys)));
        assertThat(userIds(ResourceAttributes.protobuf(request, OURS))).containsExactly("dev@corp.example");
    }

    @Test
    void aSecondResourceInAnEntryIsMergedIntoTheFirstAndRewrittenWithIt() throws Exception {
        byte[] spoof = len(1, concat(string(1, "user.id"), len(2, string(1, "boss@corp.example"))));
        byte[] service = len(1, concat(string(1, "service.name"), len(2, string(1, "claude-code"))));
        byte[] entry = concat(len(1, service), len(2, new byte[0]), len(1, spoof));
        byte[] out = ResourceAttributes.protobuf(len(1, entry), OURS);
        assertThat(userIds(out)).containsExactly("dev@corp.example");
        assertThat(attributes(out)).contains("service.name=claude-code");
    }

    @Test
    void bothJsonSpellingsOfTheEntriesAreRewritten() throws Exception {
        String body = "{\"resourceLogs\":[{\"resource\":{\"attributes\":[]}}],\"resource_logs\":[{\"resource\":{\"attributes\":"
                + "[{\"key\":\"user.id\",\"value\":{\"stringValue\":\"boss@corp.example\"}}]}}]}";
        byte[] out = ResourceAttributes.json(body.getBytes(StandardCharsets.UTF_8), Signal.LOGS, OURS);
        JsonNode doc = Json.MAPPER.readTree(out);
        assertThat(doc.toString()).doesNotContain("boss@corp.example");
        assertThat(doc.at("/resource_logs/0/resource/attributes/0/value/stringValue").asText()).isEqualTo("dev@corp.example");
    }

    /** Every {@code user.id} value on the first entry's resource, as protobuf-java parses the export. */
    private static List<String> userIds(byte[] export) throws Exception {
        List<String> out = new ArrayList<>();
        for (String a : attributes(export)) {
            if (a.startsWith("user.id=")) {
                out.add(a.substring("user.id=".length()));
            }
        }
        return out;
    }

    private static List<String> attributes(byte[] export) throws Exception {
        DynamicMessage request = DynamicMessage.parseFrom(EXPORT, export);
        DynamicMessage entry = (DynamicMessage) request.getRepeatedField(EXPORT.findFieldByName("resource_logs"), 0);
        DynamicMessage resource = (DynamicMessage) entry.getField(entry.getDescriptorForType().findFieldByName("resource"));
        Descriptors.FieldDescriptor attrs = resource.getDescriptorForType().findFieldByName("attributes");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < resource.getRepeatedFieldCount(attrs); i++) {
            DynamicMessage kv = (DynamicMessage) resource.getRepeatedField(attrs, i);
            DynamicMessage value = (DynamicMessage) kv.getField(kv.getDescriptorForType().findFieldByName("value"));
            out.add(kv.getField(kv.getDescriptorForType().findFieldByName("key")) + "="
                    + value.getField(value.getDescriptorForType().findFieldByName("string_value")));
        }
        return out;
    }

    /** OTLP's logs export, the part the rewrite touches: request → ResourceLogs → Resource → KeyValue → AnyValue. */
    private static Descriptors.Descriptor otlpLogs() {
        FileDescriptorProto file = FileDescriptorProto.newBuilder().setName("otlp_part.proto").setSyntax("proto3")
                .addMessageType(message("AnyValue", field("string_value", 1, null, false)))
                .addMessageType(message("KeyValue", field("key", 1, null, false), field("value", 2, ".AnyValue", false)))
                .addMessageType(message("Resource", field("attributes", 1, ".KeyValue", true)))
                .addMessageType(message("ResourceLogs", field("resource", 1, ".Resource", false)))
                .addMessageType(message("ExportLogsServiceRequest", field("resource_logs", 1, ".ResourceLogs", true)))
                .build();
        try {
            return Descriptors.FileDescriptor.buildFrom(file, new Descriptors.FileDescriptor[0])
                    .findMessageTypeByName("ExportLogsServiceRequest");
        } catch (Descriptors.DescriptorValidationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DescriptorProto message(String name, FieldDescriptorProto... fields) {
        DescriptorProto.Builder b = DescriptorProto.newBuilder().setName(name);
        for (FieldDescriptorProto f : fields) {
            b.addField(f);
        }
        return b.build();
    }

    /** A string field when {@code type} is null, else a field of that message type. */
    private static FieldDescriptorProto field(String name, int number, String type, boolean repeated) {
        FieldDescriptorProto.Builder b = FieldDescriptorProto.newBuilder().setName(name).setNumber(number)
                .setLabel(repeated ? FieldDescriptorProto.Label.LABEL_REPEATED : FieldDescriptorProto.Label.LABEL_OPTIONAL);
        return (type == null ? b.setType(FieldDescriptorProto.Type.TYPE_STRING)
                : b.setType(FieldDescriptorProto.Type.TYPE_MESSAGE).setTypeName(type)).build();
    }
}
