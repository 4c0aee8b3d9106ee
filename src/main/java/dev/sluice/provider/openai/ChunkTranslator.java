package dev.sluice.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.translate.ForeignThinking;
import dev.sluice.translate.UnreadableAnswer;
import dev.sluice.translate.UsageReport;
import dev.sluice.wire.SseEvent;
import dev.sluice.wire.Usage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of one translated chat-completions stream. How chunks map:
 * <ol>
 *   <li>the first chunk opens the message ({@code message_start}, input counted later);</li>
 *   <li>reasoning text ({@code delta.reasoning_content}, as DeepSeek, vLLM, SGLang and Qwen's servers send it, else
 *       {@code delta.reasoning}, as Ollama and OpenRouter do) goes into a {@code thinking} block, closed with a
 *       {@code signature_delta} of the gateway's mark ({@link ForeignThinking}) before the text or call that follows;</li>
 *   <li>{@code delta.content} goes into a text block, opened on first use;</li>
 *   <li>{@code delta.tool_calls[i]}: a new {@code index} closes the open block and opens a {@code tool_use}
 *       block (id and name from that first piece); argument pieces become {@code input_json_delta}; a piece for a
 *       call whose block another call has since closed ends the stream with an error (a block cannot reopen), and
 *       so do arguments that are no JSON object when the block closes ({@link ToolArguments});</li>
 *   <li>{@code finish_reason} closes the open block and sets the stop reason;</li>
 *   <li>{@code [DONE]} ends with the {@code message_delta}, carrying the last {@code usage} the stream sent (estimated
 *       when it sent none), and {@code message_stop};</li>
 *   <li>an {@code error} object (or string) becomes an {@code error} event;</li>
 *   <li>a clean end after the finish is the end of a whole answer, {@code [DONE]} or not.</li>
 * </ol>
 * Usage is the upstream's: OpenAI-style servers count reasoning in {@code completion_tokens}, as Anthropic counts thinking
 * in {@code output_tokens}.
 */
final class ChunkTranslator {
    private static final String NONE = "";

    /** Reasoning text becomes thinking blocks; else it is dropped ({@link OpenAiDecoder}). */
    private final boolean reasoning;

    private boolean started;
    private boolean finished;
    private boolean complete;
    private String id = "msg_openai";
    private String model;
    private int nextIndex;
    private int openBlock = -1;
    private boolean openIsText;
    private boolean openIsThinking;
    private final Map<Integer, Integer> toolBlocks = new HashMap<>();
    private final Map<Integer, StringBuilder> pendingArgs = new HashMap<>();
    private final Map<Integer, String> pendingIds = new HashMap<>();
    private final ToolArguments toolArgs = new ToolArguments();
    /** The call the last tool-call piece belonged to, -1 before the first. */
    private int lastIndex = -1;
    private String finishReason = NONE;
    private boolean sawToolCalls;
    private Usage usage;
    private boolean usageDoubtful;
    private boolean deltaSent;
    private long outputBytes;
    /** The prompt's tokens as estimated from the request, for a stream that ends without its usage. */
    private final long promptEstimate;
    private String errorType;

    ChunkTranslator(boolean reasoning) {
        this(reasoning, 0);
    }

    /** @param promptEstimate input tokens billed when the stream never says (see {@link #usage()}) */
    ChunkTranslator(boolean reasoning, long promptEstimate) {
        this.promptEstimate = Math.max(0, promptEstimate);
        this.reasoning = reasoning;
    }

    void onChunk(JsonNode chunk, List<SseEvent> out) {
        if (finished) {
            return;
        }
        JsonNode error = chunk.get("error");
        if (error != null && error.isTextual()) { // {"error":"text"}, as some compatible servers write it
            error = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("message", error.asText());
        }
        if (error != null && error.isObject()) {
            // OpenRouter and others name an HTTP status as the code of an error inside a stream: it says the type
            JsonNode code = error.path("code");
            int status = code.isInt() && code.asInt() >= 400 && code.asInt() < 600 ? code.asInt() : 0;
            String[] mapped = OpenAiErrors.map(status, error);
            fail(mapped[0], mapped[1], out);
            return;
        }
        start(chunk, out);
        JsonNode choice = chunk.path("choices").path(0);
        if (!choice.isMissingNode()) {
            JsonNode delta = choice.path("delta");
            String thought = reasoning ? reasoningText(delta) : "";
            if (!thought.isEmpty()) {
                thinking(thought, out);
            }
            String text = AnswerText.of(delta.path("content"));
            if (!text.isEmpty() && !finished) {
                text(text, out);
            }
            if (finished) {
                return; // closing a tool call's block found its arguments unreadable
            }
            for (JsonNode call : delta.path("tool_calls")) {
                toolCall(call, out);
                if (finished) {
                    return;
                }
            }
            JsonNode finish = choice.get("finish_reason");
            if (finish != null && finish.isTextual()) {
                if (!flushPendingTools(out) || !close(out)) {
                    return;
                }
                finishReason = finish.asText();
            }
        }
        JsonNode u = chunk.get("usage");
        if (u != null && u.isObject()) {
            // The last count wins, and the message_delta waits for [DONE] (or the clean end): a server that counts in every
            // chunk (vLLM's continuous usage stats) sends one with its finish and one after it, and two message_deltas
            // would reach an OpenAI client as two usage chunks it adds up.
            usage = OpenAiUsage.of(u);
            usageDoubtful = !OpenAiUsage.plain(u);
        }
    }

    private void start(JsonNode chunk, List<SseEvent> out) {
        if (started) {
            return;
        }
        started = true;
        if (chunk.path("id").isTextual()) {
            id = "msg_" + chunk.get("id").asText();
        }
        model = chunk.path("model").asText(null);
        out.add(OpenAiDecoder.event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":" + q(id)
                + ",\"type\":\"message\",\"role\":\"assistant\",\"model\":" + q(model == null ? "" : model)
                + ",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":0,"
                + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":0}}}"));
    }

    /**
     * The reasoning text of a delta or message: {@code reasoning_content}, else {@code reasoning} when it is a string
     * (a server in the middle of renaming one to the other may send both with the same text), else "".
     */
    static String reasoningText(JsonNode node) {
        JsonNode r = node.path("reasoning_content");
        if (!r.isTextual() || r.asText().isEmpty()) {
            r = node.path("reasoning");
        }
        return r.isTextual() ? r.asText() : "";
    }

    private void thinking(String text, List<SseEvent> out) {
        if (openBlock < 0 || !openIsThinking) {
            if (!close(out)) {
                return;
            }
            openBlock = nextIndex++;
            openIsThinking = true;
            out.add(OpenAiDecoder.event("content_block_start", "{\"type\":\"content_block_start\",\"index\":" + openBlock
                    + ",\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}"));
        }
        outputBytes += text.length();
        out.add(OpenAiDecoder.event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":" + openBlock
                + ",\"delta\":{\"type\":\"thinking_delta\",\"thinking\":" + q(text) + "}}"));
    }

    private void text(String text, List<SseEvent> out) {
        if (openBlock < 0 || !openIsText) {
            if (!close(out)) {
                return;
            }
            openBlock = nextIndex++;
            openIsText = true;
            out.add(OpenAiDecoder.event("content_block_start", "{\"type\":\"content_block_start\",\"index\":" + openBlock
                    + ",\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        }
        outputBytes += text.length();
        out.add(OpenAiDecoder.event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":" + openBlock
                + ",\"delta\":{\"type\":\"text_delta\",\"text\":" + q(text) + "}}"));
    }

    private void toolCall(JsonNode call, List<SseEvent> out) {
        sawToolCalls = true;
        int index = index(call);
        JsonNode fn = call.path("function");
        String args = fn.path("arguments").asText("");
        Integer block = toolBlocks.get(index);
        if (block == null) {
            if (call.path("id").isTextual()) {
                pendingIds.put(index, call.get("id").asText());
            }
            String name = fn.path("name").asText("");
            if (name.isEmpty()) {
                pendingArgs.computeIfAbsent(index, k -> new StringBuilder()).append(args); // the name is still to come
                return;
            }
            block = openTool(index, name, out);
            if (block < 0) {
                return;
            }
            StringBuilder pending = pendingArgs.remove(index);
            if (pending != null) {
                args = pending + args;
            }
        } else if (block != openBlock && !args.isEmpty()) {
            // A piece of a call whose block was closed when another began: Anthropic's wire cannot reopen a block, and
            // a delta to a stopped one is a stream every SDK refuses. The call is cut; the client is told so.
            fail("api_error", "The upstream resumed tool call " + index + " after another had begun", out);
            return;
        }
        if (!args.isEmpty()) {
            outputBytes += args.length();
            toolArgs.add(args);
            out.add(OpenAiDecoder.event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":" + block
                    + ",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":" + q(args) + "}}"));
        }
    }

    /** The new block's index, or -1 when closing the open one ended the stream. */
    /**
     * The call a piece belongs to. Servers that leave {@code index} out (Gemini's OpenAI-compatible endpoint, some
     * local ones) start a call with its id or name and continue it with pieces of arguments alone: such a piece is the
     * last call's, where counting calls would open a new, nameless one for every piece.
     */
    private int index(JsonNode call) {
        if (call.path("index").isIntegralNumber()) {
            lastIndex = call.get("index").asInt();
        } else if (call.path("id").isTextual() || call.path("function").path("name").isTextual() || lastIndex < 0) {
            lastIndex = Math.max(lastIndex + 1, toolBlocks.size() + pendingArgs.size());
        }
        return lastIndex;
    }

    private int openTool(int index, String name, List<SseEvent> out) {
        if (!close(out)) {
            return -1;
        }
        int block = nextIndex++;
        toolBlocks.put(index, block);
        openBlock = block;
        openIsText = false;
        toolArgs.open();
        String toolId = pendingIds.getOrDefault(index, "toolu_" + id.replace("msg_", "") + "_" + index);
        out.add(OpenAiDecoder.event("content_block_start", "{\"type\":\"content_block_start\",\"index\":" + block
                + ",\"content_block\":{\"type\":\"tool_use\",\"id\":" + q(toolId) + ",\"name\":" + q(name) + ",\"input\":{}}}"));
        return block;
    }

    /** False when closing a block ended the stream. */
    private boolean flushPendingTools(List<SseEvent> out) {
        for (Integer index : List.copyOf(pendingArgs.keySet())) {
            int block = openTool(index, "unknown", out);
            if (block < 0) {
                return false;
            }
            String args = pendingArgs.remove(index).toString();
            if (!args.isEmpty()) {
                toolArgs.add(args);
                out.add(OpenAiDecoder.event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":" + block
                        + ",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":" + q(args) + "}}"));
            }
        }
        return true;
    }

    /** Closes the open block; false when it was a tool call whose arguments are no JSON object, which ends the stream. */
    private boolean close(List<SseEvent> out) {
        if (!toolArgs.closeValid()) {
            openBlock = -1;
            fail("api_error", "The upstream sent a tool call whose arguments are not a JSON object", out);
            return false;
        }
        if (openBlock >= 0 && openIsThinking) {
            out.add(OpenAiDecoder.event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":" + openBlock
                    + ",\"delta\":{\"type\":\"signature_delta\",\"signature\":" + q(ForeignThinking.SIGNATURE) + "}}"));
        }
        openIsThinking = false;
        openIsText = false;
        if (openBlock >= 0) {
            out.add(OpenAiDecoder.event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + openBlock + "}"));
            openBlock = -1;
        }
        return true;
    }

    private void messageDelta(List<SseEvent> out) {
        String stop = OpenAiUsage.stopReason(finishReason == NONE ? null : finishReason, sawToolCalls);
        out.add(OpenAiDecoder.event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":" + q(stop)
                + ",\"stop_sequence\":null},\"usage\":" + OpenAiUsage.json(usage()) + "}"));
        deltaSent = true;
    }

    /** {@code data: [DONE]}: the stream is over. */
    void done(List<SseEvent> out) {
        if (finished) {
            return;
        }
        if (!started) {
            start(com.fasterxml.jackson.databind.node.NullNode.getInstance(), out);
        }
        if (!flushPendingTools(out) || !close(out)) {
            return;
        }
        if (!deltaSent) {
            messageDelta(out);
        }
        out.add(OpenAiDecoder.event("message_stop", "{\"type\":\"message_stop\"}"));
        finished = true;
        complete = true;
    }

    /** The upstream's bytes ended; a stream cut before its finish is left incomplete for the relay to report. */
    void end(List<SseEvent> out) {
        if (!finished && finishReason != NONE) {
            // The model said it was done and the connection closed cleanly: the answer is whole though [DONE] (or the
            // usage chunk, then estimated and flagged) did not come, as from servers that send neither.
            done(out);
        }
    }

    void malformed(List<SseEvent> out) {
        if (!started) {
            throw new UnreadableAnswer("the upstream's first chunk is not JSON"); // nothing relayed: a broken answer, 502
        }
        fail("api_error", "The upstream sent a chunk that is not JSON", out);
    }

    private void fail(String type, String message, List<SseEvent> out) {
        errorType = type;
        finished = true;
        out.add(OpenAiDecoder.event("error", new String(OpenAiErrors.envelope(type, message), java.nio.charset.StandardCharsets.UTF_8)));
    }

    /**
     * The last usage the stream sent; else, once it started (the upstream read the prompt and billed it, as it bills
     * what it wrote before a cut), the prompt's estimate and the output relayed, four characters a token, flagged.
     */
    Usage usage() {
        if (usage != null) {
            return usage;
        }
        return Usage.of(started ? promptEstimate : 0, UsageReport.answerTokens(outputBytes));
    }

    boolean estimated() {
        return usage == null && started || usageDoubtful;
    }

    boolean complete() {
        return complete;
    }

    String model() {
        return model;
    }

    String errorType() {
        return errorType;
    }

    private static String q(String s) {
        return "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }
}
