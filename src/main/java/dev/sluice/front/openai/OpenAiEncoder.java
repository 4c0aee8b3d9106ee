package dev.sluice.front.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.provider.openai.RelayedAnswer;
import dev.sluice.translate.ClientEncoder;
import dev.sluice.wire.Json;
import dev.sluice.wire.SseEvent;
import dev.sluice.wire.StreamUsage;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Canonical answers in OpenAI's chat-completions shape, for OpenAI clients. Streams: each canonical event
 * becomes at most one {@code chat.completion.chunk} ({@code data: {...}}), written as soon as it comes: text
 * deltas as {@code delta.content}, a tool_use block as a new {@code tool_calls} index with its id and name, its
 * input_json_delta pieces as {@code arguments} pieces, message_delta as the {@code finish_reason} chunk;
 * message_stop adds the usage chunk ({@code choices: []}) when the client asked with
 * {@code stream_options.include_usage}, then {@code data: [DONE]}. Thinking deltas become {@code delta.reasoning_content}
 * (the field DeepSeek's API, vLLM, SGLang and LiteLLM use for reasoning text; OpenAI's own chat completions give none,
 * so OpenAI's SDKs keep it as an extra field); signatures and redacted thinking produce nothing, since a chat message
 * cannot carry them back. Pings produce nothing. Bodies:
 * {@link CompletionJson}, or an OpenAI upstream's own chat completion as it came ({@link RelayedAnswer}). Every answer
 * names the model that served it (the canonical message's {@code model}), as OpenAI's API names the snapshot that
 * served, and as {@code x-sluice-model} and the ledger do after a fallback or a budget's degrade; errors in OpenAI's
 * envelope ({@link OpenAiErrorBody}). One per response.
 */
public final class OpenAiEncoder implements ClientEncoder {
    private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

    private final String requestedModel;
    private final boolean includeUsage;
    private final long created;
    private final RelayedAnswer relay;
    private final StreamUsage usage = new StreamUsage();
    private final Map<Integer, Integer> toolCalls = new HashMap<>();
    private String id = "chatcmpl-sluice";
    private String model;
    private boolean ended;

    /**
     * @param requestedModel the model the client asked for, named only when an answer does not say which served it;
     *                       otherwise an answer names the model that served it, as OpenAI's does (a request for
     *                       {@code gpt-4o} is answered by {@code gpt-4o-2024-08-06}), a fallback's or a degrade's too
     * @param includeUsage   {@code stream_options.include_usage} of the request
     * @param createdEpochSeconds the {@code created} stamp of every chunk
     */
    public OpenAiEncoder(String requestedModel, boolean includeUsage, long createdEpochSeconds) {
        this(requestedModel, includeUsage, createdEpochSeconds, null);
    }

    /** @param relay the OpenAI upstream's own whole answer, sent instead of a rendering when it is the answer given; or null */
    public OpenAiEncoder(String requestedModel, boolean includeUsage, long createdEpochSeconds, RelayedAnswer relay) {
        this.relay = relay;
        this.requestedModel = requestedModel;
        this.includeUsage = includeUsage;
        this.created = createdEpochSeconds;
        this.model = requestedModel;
    }

    /**
     * The gateway's keep-alive as an SSE comment: an OpenAI stream has no ping event, and every SSE parser skips a line
     * that starts with a colon (the spec's rule; the openai SDKs, the Vercel AI SDK and Codex do), while proxies and load
     * balancers see bytes move during a long silence (a slow first token, a long tool call being written upstream).
     */
    public static Buffer keepAliveComment(boolean ended) {
        return ended ? Buffer.buffer() : Buffer.buffer(": ping\n\n");
    }

    @Override
    public Buffer keepAlive(List<SseEvent> ping) {
        return keepAliveComment(ended);
    }

    @Override
    public Buffer events(List<SseEvent> events) {
        Buffer out = Buffer.buffer(events.size() * 160);
        for (SseEvent e : events) {
            if (!ended) {
                event(e, out);
            }
        }
        return out;
    }

    private void event(SseEvent e, Buffer out) {
        String type = e.type();
        if (type.equals("message_start") || type.equals("message_delta") || type.equals("error")) {
            usage.onEvent(type, e.raw(), e.dataStart(), e.dataLength());
        }
        JsonNode data;
        switch (type) {
            case "message_start" -> {
                data = parse(e);
                String msgId = data.path("message").path("id").asText("");
                id = chatId(msgId);
                model = servedModel(data.path("message"), requestedModel);
                chunk(out, "{\"role\":\"assistant\",\"content\":\"\"}", null);
            }
            case "content_block_start" -> {
                data = parse(e);
                JsonNode block = data.path("content_block");
                if (block.path("type").asText().equals("tool_use")) {
                    int index = toolCalls.size();
                    toolCalls.put(data.path("index").asInt(), index);
                    chunk(out, "{\"tool_calls\":[{\"index\":" + index + ",\"id\":" + q(block.path("id").asText())
                            + ",\"type\":\"function\",\"function\":{\"name\":" + q(block.path("name").asText())
                            + ",\"arguments\":\"\"}}]}", null);
                }
            }
            case "content_block_delta" -> delta(parse(e), out);
            case "message_delta" -> chunk(out, "{}", CompletionJson.finishReason(parse(e).path("delta").path("stop_reason").asText(null)));
            case "message_stop" -> {
                if (includeUsage) {
                    out.appendString("data: {\"id\":" + q(id) + ",\"object\":\"chat.completion.chunk\",\"created\":" + created
                            + ",\"model\":" + q(model) + ",\"choices\":[],\"usage\":" + CompletionJson.usage(usage.usage()) + "}\n\n");
                }
                out.appendBuffer(DONE);
                ended = true;
            }
            case "error" -> {
                JsonNode error = parse(e).path("error");
                out.appendString("data: " + OpenAiErrorBody.json(error.path("type").asText("api_error"),
                        error.path("message").asText("")) + "\n\n");
                ended = true;
            }
            default -> { } // ping, content_block_stop: nothing for an OpenAI client
        }
    }

    private void delta(JsonNode data, Buffer out) {
        JsonNode delta = data.path("delta");
        switch (delta.path("type").asText()) {
            case "text_delta" -> chunk(out, "{\"content\":" + q(delta.path("text").asText()) + "}", null);
            case "thinking_delta" -> {
                String piece = delta.path("thinking").asText("");
                if (!piece.isEmpty()) {
                    chunk(out, "{\"reasoning_content\":" + q(piece) + "}", null);
                }
            }
            case "input_json_delta" -> {
                Integer index = toolCalls.get(data.path("index").asInt());
                String piece = delta.path("partial_json").asText("");
                if (index != null && !piece.isEmpty()) {
                    chunk(out, "{\"tool_calls\":[{\"index\":" + index + ",\"function\":{\"arguments\":" + q(piece) + "}}]}", null);
                }
            }
            default -> { } // signature deltas, citations: not part of the OpenAI answer
        }
    }

    private void chunk(Buffer out, String delta, String finishReason) {
        out.appendString("data: {\"id\":" + q(id) + ",\"object\":\"chat.completion.chunk\",\"created\":" + created
                + ",\"model\":" + q(model) + ",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":"
                + (finishReason == null ? "null" : q(finishReason)) + "}]}\n\n");
    }

    private static JsonNode parse(SseEvent e) {
        try {
            return Json.MAPPER.readTree(e.raw(), e.dataStart(), e.dataLength());
        } catch (IOException ex) {
            return Json.MAPPER.createObjectNode();
        }
    }

    @Override
    public Buffer body(int status, Buffer canonical) {
        if (status >= 400) {
            return Buffer.buffer(OpenAiErrorBody.fromAnthropic(canonical.getBytes()));
        }
        Buffer relayed = relay == null ? null : relay.forClient(canonical);
        if (relayed != null) {
            return relayed;
        }
        return Buffer.buffer(CompletionJson.fromMessage(canonical.getBytes(), requestedModel, created));
    }

    @Override
    public String contentType(boolean stream) {
        return stream ? "text/event-stream; charset=utf-8" : "application/json";
    }

    /** The model a canonical message says served it, else {@code fallback}. */
    public static String servedModel(JsonNode message, String fallback) {
        String served = message.path("model").asText("");
        return served.isBlank() ? fallback : served;
    }

    static String q(String s) {
        return "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(s == null ? "" : s)) + "\"";
    }

    /** The OpenAI id for a canonical message id: {@code msg_X} becomes {@code chatcmpl-X}, never {@code chatcmpl-chatcmpl-X}. */
    static String chatId(String msgId) {
        String bare = msgId.startsWith("msg_") ? msgId.substring(4) : msgId;
        return bare.startsWith("chatcmpl-") ? bare : "chatcmpl-" + bare;
    }
}
