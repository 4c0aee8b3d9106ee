package dev.sluice.provider.openai;

import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.body.FieldEdits;
import dev.sluice.wire.body.TopLevelFields;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The OpenAI front door's chat completion sent to an OpenAI-protocol upstream as the client wrote it, instead of
 * chat completions → canonical → chat completions. The pipeline still reads the canonical body (the front door
 * translates it at inspection, and the guard, cache key, budget and route read that); the upstream gets the client's
 * bytes with only these edits:
 * <ul>
 *   <li>{@code model}: the target's model (or Azure deployment);</li>
 *   <li>the output cap under the dialect's name ({@code max_completion_tokens}, or {@code max_tokens} for
 *       compatible servers) with the canonical body's value: the client's cap, or the front door's default when it
 *       named none, as the budget reserved for;</li>
 *   <li>streams ask for the usage chunk ({@code stream_options.include_usage}) whatever the client asked, so the
 *       bill is exact; the client's own choice is applied on the way back by its encoder;</li>
 *   <li>top-level fields the canonical form has no place for ({@code user}, {@code store}, {@code metadata}...)
 *       are left out, as the translated path leaves them out (what cannot be honoured, {@code seed} or
 *       {@code functions}, the front door has already refused), and so are message fields it has
 *       no place for ({@link ChatCarried}): the upstream never gets content the guard did not scan;</li>
 *   <li>compatible servers (vLLM, Ollama...) get {@code developer} messages as {@code system} ones, which every
 *       chat template knows.</li>
 * </ul>
 * Everything else the canonical form carries goes as written: messages in their order and shape, tools, tool_choice,
 * {@code parallel_tool_calls}, {@code temperature} (the translation clamped it to Anthropic's 0..1), {@code top_p} and
 * {@code stop} (the translation kept four), {@code response_format} (text, or a {@code json_schema} the canonical form
 * carries as {@code output_config.format}: the client's own, with its name and {@code strict}; one with a
 * {@code description}, which the canonical form has no place for, is translated instead), {@code reasoning_effort} (the front door checked it is one of OpenAI's and
 * mapped it to {@code thinking}; OpenAI and Azure take the client's own value, {@code minimal} and {@code xhigh}
 * included, which the canonical budget cannot tell apart from none and max; a compatible server only the efforts it
 * takes, {@link #compatibleEffort}); a value the upstream refuses comes back
 * as its error, in OpenAI's envelope.
 * Only an unedited canonical body takes this path: a stage's edit (a guard redaction, a TTL upgrade) is an edit of
 * the canonical bytes, so such a request is translated from them as before and carries the edit.
 */
public final class DirectChat {
    /** Top-level fields the canonical form carries; everything else is dropped. */
    private static final Set<String> CARRIED = Set.of("model", "messages", "max_completion_tokens", "max_tokens",
            "temperature", "top_p", "stop", "tools", "tool_choice", "parallel_tool_calls", "stream", "stream_options",
            "reasoning_effort", "response_format");
    private static final String CLIENT_PROTOCOL = "openai";

    private DirectChat() {
    }

    /**
     * True when {@code ex} is a chat completion from the OpenAI front door whose canonical body no stage edited, so
     * the client's own body carries everything the pipeline decided.
     */
    public static boolean applies(Exchange ex) {
        RequestBody original = ex.originalBody();
        RequestBody canonical = ex.body();
        return ex.operation() == Operation.MESSAGES && CLIENT_PROTOCOL.equals(ex.protocol().name()) && original != null
                && canonical != null && canonical != original && !canonical.edited();
    }

    /**
     * The client's chat body as {@code target} gets it, or null when its messages say something the canonical form
     * leaves out ({@link ChatCarried}) and it must be translated from that form instead.
     *
     * @param chat      the client's chat-completions body as read (the front door has checked it)
     * @param maxTokens the canonical body's output cap, or -1 for none
     * @throws ApiError 400 when the body is not a JSON object (the front door has refused such bodies already)
     */
    public static RequestBody body(RequestBody chat, OpenAiTarget target, long maxTokens, boolean stream) {
        RequestBody out = RequestBody.wrap(chat.array(), chat.length());
        TopLevelFields top;
        try {
            // The validating scan, although the front door checked these bytes: on escape-dense text it is about twice
            // as fast as TopLevelFields.readValid (measured on Claude Code's request).
            top = TopLevelFields.scan(out.array(), out.length());
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidRequest("request body: " + e.getMessage());
        }
        String cap = target.maxTokensField();
        Set<String> drop = new HashSet<>();
        Set<String> seen = new HashSet<>();
        for (TopLevelFields.Field f : top.fields()) {
            if (!CARRIED.contains(f.name()) || (isCap(f.name()) && !f.name().equals(cap))) {
                drop.add(f.name());
            } else if (!seen.add(f.name())) {
                return null; // the front door read the first, an upstream may read the last
            }
        }
        if (!stream) {
            drop.add("stream_options");
        }
        String effort = compatibleEffort(out.array(), top.find("reasoning_effort"), target);
        if (effort == null) {
            drop.add("reasoning_effort");
        }
        FieldEdits edits = FieldEdits.dropping(drop).set("model", quoted(target.model()));
        if (effort != null && !effort.isEmpty()) {
            edits.set("reasoning_effort", quoted(effort));
        }
        if (maxTokens > 0) {
            edits.set(cap, Long.toString(maxTokens));
        }
        if (stream) {
            edits.set("stream", "true").set("stream_options", "{\"include_usage\":true}");
        }
        if (!formatCarried(out.array(), top.find("response_format"))
                || !ChatCarried.tools(out.array(), top.find("tools")) || !ChatCarried.toolChoice(out.array(), top.find("tool_choice"))
                || !ChatCarried.messages(out, top.find("messages"), target.flavor() == OpenAiTarget.Flavor.COMPATIBLE)) {
            return null;
        }
        edits.applyTo(out, top, "openai: direct chat");
        return out;
    }

    /**
     * The edited body as one buffer made of the original's unchanged runs and the edits' bytes, without copying the
     * original: a 60 KB body is otherwise copied once more just to change a few fields (the socket write copies it
     * anyway).
     */
    public static Buffer parts(RequestBody body) {
        if (!body.edited()) {
            return body.bytes();
        }
        List<RequestBody.Edit> edits = body.edits();
        CompositeByteBuf out = Unpooled.compositeBuffer(edits.size() * 2 + 1);
        int from = 0;
        for (RequestBody.Edit e : edits) {
            if (e.start() > from) {
                out.addComponent(true, Unpooled.wrappedBuffer(body.array(), from, e.start() - from));
            }
            if (e.bytes().length > 0) {
                out.addComponent(true, Unpooled.wrappedBuffer(e.bytes()));
            }
            from = e.end();
        }
        if (body.length() > from) {
            out.addComponent(true, Unpooled.wrappedBuffer(body.array(), from, body.length() - from));
        }
        return BufferInternal.buffer(out);
    }

    /**
     * The client's {@code reasoning_effort} for {@code target}: OpenAI and Azure take every effort OpenAI defines, so it
     * goes as written ({@code ""}: no edit); compatible servers (vLLM, Ollama) take only {@code low}, {@code medium} and
     * {@code high}, so {@code xhigh} and {@code max} go as {@code high}, and {@code none} and {@code minimal} are left
     * out (null), as the translated path leaves out a request without thinking.
     */
    private static String compatibleEffort(byte[] json, TopLevelFields.Field field, OpenAiTarget target) {
        if (field == null || target.flavor() != OpenAiTarget.Flavor.COMPATIBLE) {
            return field == null ? null : "";
        }
        String raw = new String(json, field.valueStart(), field.valueEnd() - field.valueStart(), java.nio.charset.StandardCharsets.UTF_8);
        return switch (raw) {
            case "\"low\"", "\"medium\"", "\"high\"" -> "";
            case "\"xhigh\"", "\"max\"" -> "high";
            default -> null;
        };
    }

    /**
     * Whether a {@code response_format} says nothing beyond what the canonical form carries (its schema): a
     * {@code json_schema.description} is text the model reads that the guard, which scans the canonical form, never
     * saw, so such a body is translated instead (and goes without it).
     */
    private static boolean formatCarried(byte[] json, TopLevelFields.Field field) {
        if (field == null) {
            return true;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode format = dev.sluice.wire.Json.MAPPER.readTree(json, field.valueStart(),
                    field.valueEnd() - field.valueStart());
            return !format.path("json_schema").has("description");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static boolean isCap(String name) {
        return name.equals("max_completion_tokens") || name.equals("max_tokens");
    }

    static String quoted(String s) {
        return "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }
}
