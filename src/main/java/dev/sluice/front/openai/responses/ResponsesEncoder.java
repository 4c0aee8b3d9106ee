package dev.sluice.front.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.front.openai.OpenAiEncoder;
import dev.sluice.front.openai.OpenAiErrorBody;
import dev.sluice.translate.ClientEncoder;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import dev.sluice.wire.SseEvent;
import dev.sluice.wire.StreamUsage;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Canonical answers in the Responses API's shape. A stream is written as the API writes one, each event
 * ({@code event: <type>} and {@code data: {...,"sequence_number":n}}) as soon as its canonical event comes:
 * <pre>
 *  message_start            → response.created, response.in_progress
 *  content_block_start text → response.output_item.added (a message), response.content_part.added (output_text)
 *    text_delta             → response.output_text.delta
 *  content_block_stop       → response.output_text.done, response.content_part.done, response.output_item.done
 *  content_block_start thinking → response.output_item.added (a reasoning item)
 *    thinking_delta         → response.reasoning_summary_part.added (first), response.reasoning_summary_text.delta,
 *                             when the request set reasoning.summary; signature_delta → nothing (kept for the seal)
 *  content_block_stop       → response.reasoning_summary_text.done, response.reasoning_summary_part.done (with a
 *                             summary), response.output_item.done (with encrypted_content when included)
 *  content_block_start redacted_thinking → response.output_item.added; its stop → response.output_item.done
 *  content_block_start tool_use → response.output_item.added (a function_call)
 *    input_json_delta       → response.function_call_arguments.delta
 *  content_block_stop       → response.function_call_arguments.done, response.output_item.done
 *  message_stop             → response.completed (or response.incomplete at max_tokens), with usage
 *  error                    → error, response.failed
 * </pre>
 * Pings produce nothing. {@code reasoning_tokens} in usage stays 0: Anthropic counts thinking in {@code output_tokens}
 * without a split, and the gateway does not invent one. Bodies: {@link WholeResponse}; errors in OpenAI's envelope.
 * An answer that ends (completed or incomplete) has its items kept for the caller when the request asked for it
 * ({@link ItemStore}); a failed one is not kept.
 * One per response, confined to its event loop.
 */
final class ResponsesEncoder implements ClientEncoder {
    /** The model the client asked for, until the answer names the one that serves it (at message_start). */
    private String model;
    private final long createdAt;
    private final ResponseEcho echo;
    private final ItemStore store;
    /** Who the answer's items are kept for; null when they are not kept. */
    private final String owner;
    private final StreamUsage usage = new StreamUsage();
    /** Open output items by canonical block index; server tools' blocks have none. */
    private final Map<Integer, OutputItem> open = new HashMap<>();
    private final List<OutputItem> output = new ArrayList<>();
    private String id = "resp_sluice";
    private String messageId = "";
    private String stopReason;
    private long sequence;
    private boolean ended;

    /**
     * @param model     the model the client asked for, named until the answer says which model serves it; then that one
     *                  is, as OpenAI's API names the snapshot that served (and as {@code x-sluice-model} does)
     * @param createdAt the {@code created_at} stamp, epoch seconds
     */
    ResponsesEncoder(String model, long createdAt, ResponseEcho echo) {
        this(model, createdAt, echo, null, null);
    }

    /** @param owner the caller the answer's items are kept for in {@code store}, or null to keep nothing */
    ResponsesEncoder(String model, long createdAt, ResponseEcho echo, ItemStore store, String owner) {
        this.model = model;
        this.createdAt = createdAt;
        this.echo = echo;
        this.store = store;
        this.owner = store == null ? null : owner;
    }

    @Override
    public Buffer keepAlive(List<SseEvent> ping) {
        return OpenAiEncoder.keepAliveComment(ended);
    }

    @Override
    public Buffer events(List<SseEvent> events) {
        Buffer out = Buffer.buffer(events.size() * 200);
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
        switch (type) {
            case "message_start" -> {
                JsonNode message = parse(e).path("message");
                messageId = message.path("id").asText("");
                model = OpenAiEncoder.servedModel(message, model);
                id = ResponseObject.responseId(messageId);
                String response = response(ResponseObject.Ending.IN_PROGRESS, false);
                emit(out, "response.created", "\"response\":" + response);
                emit(out, "response.in_progress", "\"response\":" + response);
            }
            case "content_block_start" -> blockStart(parse(e), out);
            case "content_block_delta" -> delta(parse(e), out);
            case "content_block_stop" -> blockStop(parse(e).path("index").asInt(-1), out);
            case "message_delta" -> stopReason = parse(e).path("delta").path("stop_reason").asText(null);
            case "message_stop" -> {
                ResponseObject.Ending ending = ResponseObject.Ending.of(stopReason);
                if (!ending.status().equals("completed") && !output.isEmpty()) {
                    output.getLast().status = "incomplete"; // the item the cap cut short
                }
                if (owner != null) {
                    store.keep(owner, output); // before the final event: the client may reference them as soon as it has it
                }
                emit(out, ending.status().equals("completed") ? "response.completed" : "response.incomplete",
                        "\"response\":" + response(ending, true));
                ended = true;
            }
            case "error" -> {
                JsonNode error = parse(e).path("error");
                fail(out, error.path("type").asText("api_error"), error.path("message").asText(""));
            }
            default -> { } // ping: nothing for a Responses client
        }
    }

    private void blockStart(JsonNode data, Buffer out) {
        JsonNode block = data.path("content_block");
        int index = data.path("index").asInt(-1);
        OutputItem item;
        switch (block.path("type").asText("")) {
            case "text" -> item = OutputItem.message("msg_" + OutputItem.bare(messageId) + "_" + output.size(), output.size());
            case "tool_use" -> {
                String callId = block.path("id").asText("");
                item = OutputItem.functionCall("fc_" + OutputItem.bare(callId), output.size(), callId, block.path("name").asText(""),
                        echo.namespaces());
            }
            case "thinking" -> item = OutputItem.reasoning(reasoningId(), output.size(), echo);
            case "redacted_thinking" -> {
                item = OutputItem.reasoning(reasoningId(), output.size(), echo);
                item.redactedData = block.path("data").asText("");
            }
            default -> {
                return; // server tools' blocks and others: not part of a Responses answer from this gateway
            }
        }
        open.put(index, item);
        output.add(item);
        emit(out, "response.output_item.added", "\"output_index\":" + item.outputIndex + ",\"item\":" + item.json(true));
        if (item.kind == OutputItem.Kind.MESSAGE) {
            emit(out, "response.content_part.added", itemRef(item) + ",\"content_index\":0,\"part\":" + item.part());
        }
    }

    private void delta(JsonNode data, Buffer out) {
        OutputItem item = open.get(data.path("index").asInt(-1));
        JsonNode delta = data.path("delta");
        if (item == null) {
            return;
        }
        String type = delta.path("type").asText("");
        if (item.kind == OutputItem.Kind.MESSAGE && type.equals("text_delta")) {
            String piece = delta.path("text").asText("");
            item.content.append(piece);
            emit(out, "response.output_text.delta", itemRef(item) + ",\"content_index\":0,\"delta\":" + OutputItem.q(piece)
                    + ",\"logprobs\":[]");
        } else if (item.kind == OutputItem.Kind.REASONING && type.equals("thinking_delta")) {
            thinking(item, delta.path("thinking").asText(""), out);
        } else if (item.kind == OutputItem.Kind.REASONING && type.equals("signature_delta")) {
            item.signature.append(delta.path("signature").asText(""));
        } else if (item.kind == OutputItem.Kind.FUNCTION_CALL && type.equals("input_json_delta")) {
            String piece = delta.path("partial_json").asText("");
            if (!piece.isEmpty()) {
                item.content.append(piece);
                emit(out, "response.function_call_arguments.delta", itemRef(item) + ",\"delta\":" + OutputItem.q(piece));
            }
        }
    }

    /** A piece of thinking: kept for the sealed block, and streamed as the summary's text when the request set one. */
    private void thinking(OutputItem item, String piece, Buffer out) {
        if (piece.isEmpty()) {
            return;
        }
        item.content.append(piece);
        if (!item.summary) {
            return;
        }
        if (!item.summaryStarted) {
            item.summaryStarted = true;
            emit(out, "response.reasoning_summary_part.added", itemRef(item)
                    + ",\"summary_index\":0,\"part\":{\"type\":\"summary_text\",\"text\":\"\"}");
        }
        emit(out, "response.reasoning_summary_text.delta", itemRef(item) + ",\"summary_index\":0,\"delta\":" + OutputItem.q(piece));
    }

    private String reasoningId() {
        return "rs_" + OutputItem.bare(messageId) + "_" + output.size();
    }

    private void blockStop(int index, Buffer out) {
        OutputItem item = open.remove(index);
        if (item == null) {
            return;
        }
        item.status = "completed";
        if (item.kind == OutputItem.Kind.REASONING) {
            if (item.summaryStarted) {
                emit(out, "response.reasoning_summary_text.done", itemRef(item) + ",\"summary_index\":0,\"text\":"
                        + OutputItem.q(item.content.toString()));
                emit(out, "response.reasoning_summary_part.done", itemRef(item) + ",\"summary_index\":0,\"part\":" + item.summaryPart());
            }
        } else if (item.kind == OutputItem.Kind.MESSAGE) {
            String text = OutputItem.q(item.content.toString());
            emit(out, "response.output_text.done", itemRef(item) + ",\"content_index\":0,\"text\":" + text + ",\"logprobs\":[]");
            emit(out, "response.content_part.done", itemRef(item) + ",\"content_index\":0,\"part\":" + item.part());
        } else {
            if (item.content.isEmpty()) { // no parameters: the deltas must add up to the arguments the done event gives
                emit(out, "response.function_call_arguments.delta", itemRef(item) + ",\"delta\":\"{}\"");
            }
            emit(out, "response.function_call_arguments.done", itemRef(item) + ",\"name\":" + OutputItem.q(item.name)
                    + ",\"arguments\":" + OutputItem.q(item.arguments()));
        }
        emit(out, "response.output_item.done", "\"output_index\":" + item.outputIndex + ",\"item\":" + item.json(false));
    }

    /**
     * The API's {@code error} event, then {@code response.failed}. The error event is what makes a stream throw in the
     * official SDKs (the {@code openai} package raises an {@code APIError} on it, and so LangChain's ChatOpenAI does);
     * a {@code response.failed} alone reads there as a stream that ended, and the caller kept a cut answer as if whole.
     * Clients that read the failed response (Codex, the Vercel AI SDK, which reports one error for the two) still get it.
     */
    private void fail(Buffer out, String anthropicType, String message) {
        String code = ResponseObject.errorCode(anthropicType);
        emit(out, "error", "\"code\":" + OutputItem.q(code) + ",\"message\":" + OutputItem.q(message) + ",\"param\":null");
        emit(out, "response.failed", "\"response\":" + response(ResponseObject.Ending.failed(code, message), true));
        ended = true;
    }

    /** The gateway's own error once the stream is under way (an idle upstream, a broken one): the stream fails. */
    @Override
    public Buffer errorEvent(ApiError error) {
        Buffer out = Buffer.buffer();
        if (!ended) {
            fail(out, error.type(), error.getMessage());
        }
        return out;
    }

    private String response(ResponseObject.Ending ending, boolean withUsage) {
        return ResponseObject.json(id, createdAt, model, output, ending, withUsage ? usage.usage() : null, echo, owner != null);
    }

    private static String itemRef(OutputItem item) {
        return "\"item_id\":" + OutputItem.q(item.id) + ",\"output_index\":" + item.outputIndex;
    }

    private void emit(Buffer out, String type, String fields) {
        out.appendString("event: " + type + "\ndata: {\"type\":\"" + type + "\"," + fields + ",\"sequence_number\":" + sequence++ + "}\n\n");
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
        return Buffer.buffer(WholeResponse.fromMessage(canonical.getBytes(), model, createdAt, echo, store, owner));
    }

    @Override
    public String contentType(boolean stream) {
        return stream ? "text/event-stream; charset=utf-8" : "application/json";
    }
}
