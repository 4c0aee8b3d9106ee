package dev.sluice.provider.bedrock;

import dev.sluice.pipeline.RequestBody;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Betas;
import dev.sluice.wire.body.FieldEdits;
import dev.sluice.wire.body.TopLevelFields;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * A canonical Messages body adapted for Bedrock's InvokeModel, as byte-range edits: {@code model},
 * {@code stream} and {@code tags} dropped (the model and the streaming choice are in the path),
 * {@code "anthropic_version":"bedrock-2023-05-31"} added, and the {@code anthropic-beta} header values
 * moved into {@code "anthropic_beta":[...]} (merged with any the body already had). Everything else,
 * {@code cache_control} on every block type included, is the client's bytes.
 */
public final class BedrockBody {
    public static final String ANTHROPIC_VERSION = "bedrock-2023-05-31";
    private static final Set<String> DROPPED = Set.of("model", "stream", "tags");

    private BedrockBody() {
    }

    /**
     * The InvokeModel body for {@code body}. Unedited bodies are edited on a fork (the original bytes are
     * shared); a body other stages already edited is adapted from its edited bytes, so their edits
     * (a rename of the model we are about to drop, say) can never clash with ours.
     *
     * @param betas the request's beta values, from {@link Betas#parse}
     * @throws ApiError 400 when the body is not a JSON object
     */
    public static RequestBody invokeBody(RequestBody body, List<String> betas) {
        return adapt(body, betas, false);
    }

    /**
     * The CountTokens body: {@code {"input":{"invokeModel":{"body":"<base64 of the InvokeModel body>"}}}}.
     * Claude Code's count_tokens body has no {@code max_tokens}, which InvokeModel requires; 1 is added.
     */
    public static byte[] countTokensBody(RequestBody body, List<String> betas) {
        byte[] inner = adapt(body, betas, true).bytes().getBytes();
        String b64 = Base64.getEncoder().encodeToString(inner);
        return ("{\"input\":{\"invokeModel\":{\"body\":\"" + b64 + "\"}}}").getBytes(StandardCharsets.US_ASCII);
    }

    private static RequestBody adapt(RequestBody body, List<String> betas, boolean ensureMaxTokens) {
        RequestBody base = dev.sluice.provider.EditedBody.flatten(body);
        TopLevelFields fields = scan(base);
        FieldEdits plan = FieldEdits.dropping(DROPPED)
                .set("anthropic_version", "\"" + ANTHROPIC_VERSION + "\"");
        List<String> merged = mergedBetas(fields, betas);
        if (!merged.isEmpty()) {
            plan.set("anthropic_beta", Betas.jsonArray(merged));
        }
        if (ensureMaxTokens && fields.find("max_tokens") == null) {
            plan.set("max_tokens", "1");
        }
        plan.applyTo(base, fields, "bedrock: body");
        return base;
    }

    private static TopLevelFields scan(RequestBody body) {
        try {
            return TopLevelFields.scan(body.array(), body.length());
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidRequest(e.getMessage());
        }
    }

    private static List<String> mergedBetas(TopLevelFields fields, List<String> headerBetas) {
        TopLevelFields.Field existing = fields.find("anthropic_beta");
        if (existing == null) {
            return headerBetas;
        }
        List<String> merged = new ArrayList<>();
        try {
            for (var node : dev.sluice.wire.Json.MAPPER.readTree(fields.value(existing))) {
                if (node.isTextual() && !merged.contains(node.asText())) {
                    merged.add(node.asText());
                }
            }
        } catch (java.io.IOException e) {
            throw ApiError.invalidRequest("anthropic_beta: expected an array of strings");
        }
        for (String b : headerBetas) {
            if (!merged.contains(b)) {
                merged.add(b);
            }
        }
        return merged.isEmpty() && headerBetas.isEmpty() ? List.of() : merged;
    }
}
