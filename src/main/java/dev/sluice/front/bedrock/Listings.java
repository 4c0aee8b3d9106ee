package dev.sluice.front.bedrock;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.sluice.provider.catalog.ClaudeModelIds;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway's model list (Anthropic's {@code {"data":[{"id","display_name",...}]}}, from the catalog or the upstream)
 * as Bedrock's control plane lists it, so a client picks ids the gateway serves: {@code GET /inference-profiles}
 * (ListInferenceProfiles: Claude Code keeps the ids that contain {@code anthropic}) and {@code GET /foundation-models}
 * (ListFoundationModels). Each Claude model is listed under its US cross-region profile id
 * ({@code us.anthropic.claude-sonnet-4-5-20250929-v1:0}), which the door maps back to the model; a model that is not
 * Claude is listed under its own name. One page: no {@code nextToken}, so a client's paging loop ends.
 */
final class Listings {
    static final String PROFILE = "us";
    private static final String REGION = "us-east-1";

    private Listings() {
    }

    /** Anthropic's {@code {"input_tokens":N}} as Bedrock's {@code {"inputTokens":N}}. */
    static byte[] inputTokens(byte[] canonical) {
        long n = -1;
        try (JsonParser p = Json.FACTORY.createParser(canonical)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    if (name.equals("input_tokens") && v == JsonToken.VALUE_NUMBER_INT) {
                        n = p.getLongValue();
                    } else {
                        p.skipChildren();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            n = -1;
        }
        return n < 0 ? canonical : ("{\"inputTokens\":" + n + "}").getBytes(StandardCharsets.US_ASCII);
    }

    /** The list for the path asked ({@code .../inference-profiles} or {@code .../foundation-models}). */
    static byte[] of(String path, byte[] anthropicList) {
        List<String[]> models = models(anthropicList);
        StringBuilder sb = new StringBuilder(64 + 400 * models.size());
        boolean profiles = !path.endsWith("/foundation-models");
        sb.append(profiles ? "{\"inferenceProfileSummaries\":[" : "{\"modelSummaries\":[");
        for (int i = 0; i < models.size(); i++) {
            sb.append(i == 0 ? "" : ",");
            if (profiles) {
                profile(sb, models.get(i)[0], models.get(i)[1]);
            } else {
                foundationModel(sb, models.get(i)[0], models.get(i)[1]);
            }
        }
        return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void profile(StringBuilder sb, String id, String name) {
        boolean claude = id.startsWith("claude");
        String bare = claude ? ClaudeModelIds.builtIn().bedrock(id, null) : id;
        String profileId = claude ? PROFILE + "." + bare : id;
        sb.append("{\"inferenceProfileId\":").append(q(profileId))
                .append(",\"inferenceProfileName\":").append(q("US " + name))
                .append(",\"description\":").append(q("Served by this Sluice gateway as " + id))
                .append(",\"inferenceProfileArn\":").append(q("arn:aws:bedrock:" + REGION + "::inference-profile/" + profileId))
                .append(",\"models\":[{\"modelArn\":").append(q("arn:aws:bedrock:" + REGION + "::foundation-model/" + bare))
                .append("}],\"status\":\"ACTIVE\",\"type\":\"SYSTEM_DEFINED\"}");
    }

    private static void foundationModel(StringBuilder sb, String id, String name) {
        boolean claude = id.startsWith("claude");
        String bare = claude ? ClaudeModelIds.builtIn().bedrock(id, null) : id;
        sb.append("{\"modelId\":").append(q(bare))
                .append(",\"modelArn\":").append(q("arn:aws:bedrock:" + REGION + "::foundation-model/" + bare))
                .append(",\"modelName\":").append(q(name))
                .append(",\"providerName\":").append(q(claude ? "Anthropic" : "Sluice"))
                .append(",\"inputModalities\":[\"TEXT\",\"IMAGE\"],\"outputModalities\":[\"TEXT\"]")
                .append(",\"responseStreamingSupported\":true,\"inferenceTypesSupported\":[\"ON_DEMAND\",\"INFERENCE_PROFILE\"]")
                .append(",\"modelLifecycle\":{\"status\":\"ACTIVE\"}}");
    }

    /** (id, display name) of each model in an Anthropic or OpenAI model list; none when it cannot be read. */
    static List<String[]> models(byte[] list) {
        List<String[]> out = new ArrayList<>();
        try (JsonParser p = Json.FACTORY.createParser(list)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return out;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (p.nextToken() == JsonToken.START_ARRAY && name.equals("data")) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        String[] m = model(p);
                        if (m[0] != null) {
                            out.add(new String[] {m[0], m[1] == null ? m[0] : m[1]});
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            return out;
        }
        return out;
    }

    private static String[] model(JsonParser p) throws IOException {
        String id = null;
        String display = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (v == JsonToken.VALUE_STRING && name.equals("id")) {
                id = p.getText();
            } else if (v == JsonToken.VALUE_STRING && name.equals("display_name")) {
                display = p.getText();
            } else {
                p.skipChildren();
            }
        }
        return new String[] {id, display};
    }

    private static String q(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }
}
