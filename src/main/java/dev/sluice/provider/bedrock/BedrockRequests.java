package dev.sluice.provider.bedrock;

import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.provider.catalog.ClaudeModelIds;
import dev.sluice.translate.UpstreamCall;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Betas;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the Bedrock request for a canonical one:
 * <ul>
 *   <li>messages: {@code POST /model/{id}/invoke}, or {@code /invoke-with-response-stream} when streaming;</li>
 *   <li>count_tokens: {@code POST /model/{bare id}/count-tokens} (inference-profile ids are refused there);</li>
 *   <li>models: not a Bedrock runtime operation (answer it from the model catalog).</li>
 * </ul>
 * The model id is percent-encoded as one path segment ({@code :} becomes {@code %3A}, an ARN's {@code /}
 * becomes {@code %2F}). Auth is SigV4 over exactly the bytes and headers sent, or a bearer API key.
 */
public final class BedrockRequests {
    public static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

    private final Clock clock;

    public BedrockRequests(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param clientHeaders the client's request headers; only {@code anthropic-beta} is read (moved into the body)
     * @throws ApiError 501 for the models operation, 400 for a body that is not a JSON object or bad betas
     */
    public UpstreamCall build(BedrockTarget target, Operation op, RequestBody body, boolean stream, MultiMap clientHeaders) {
        List<String> betas = Betas.parse(clientHeaders.getAll("anthropic-beta"));
        String path;
        Buffer bytes;
        switch (op) {
            case MESSAGES -> {
                path = target.pathPrefix() + "/model/" + segment(target.modelId())
                        + (stream ? "/invoke-with-response-stream" : "/invoke");
                bytes = BedrockBody.invokeBody(body, betas).bytes();
            }
            case COUNT_TOKENS -> {
                path = target.pathPrefix() + "/model/" + segment(ClaudeModelIds.bareBedrock(target.modelId())) + "/count-tokens";
                bytes = Buffer.buffer(BedrockBody.countTokensBody(body, betas));
            }
            default -> throw ApiError.notSupported("Bedrock has no model listing on its runtime endpoint");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("accept", op == Operation.MESSAGES && stream ? EVENT_STREAM : "application/json");
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        headers.forEach(out::add);
        switch (target.auth()) {
            case BedrockAuth.ApiKey key -> out.set("authorization", "Bearer " + key.key());
            case BedrockAuth.SigV4 keys -> new SigV4(keys, target.region(), clock)
                    .sign("POST", target.baseUrl(), path, headers, bytes)
                    .forEach((name, values) -> {
                        if (!name.equalsIgnoreCase("host")) { // the HTTP client sends the same host itself
                            out.set(name, values);
                        }
                    });
        }
        return new UpstreamCall(HttpMethod.POST, path, out, bytes);
    }

    /** Percent-encodes every byte outside RFC 3986's unreserved set, so the id is one path segment. */
    static String segment(String id) {
        StringBuilder sb = new StringBuilder(id.length() + 8);
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}
