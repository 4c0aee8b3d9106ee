package dev.sluice.front.openai.responses;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * One item of a Responses answer's {@code output}: an assistant {@code message} with one {@code output_text} part (one
 * per canonical text block), a {@code function_call} (one per canonical {@code tool_use} block, whose id is its
 * {@code call_id}, the id the client sends back with the call's output), or a {@code reasoning} item (one per
 * {@code thinking} or {@code redacted_thinking} block: the thinking text as its one {@code summary_text} when the
 * request set {@code reasoning.summary}, the block sealed as {@code encrypted_content} when it asked for
 * {@code reasoning.encrypted_content}, {@link ReasoningSeal}). Built as the answer streams; rendered in the shapes the
 * API's reference gives, {@code status} {@code in_progress} while it streams.
 */
final class OutputItem {
    enum Kind { MESSAGE, FUNCTION_CALL, REASONING }

    final Kind kind;
    final String id;
    final int outputIndex;
    final String callId;
    final String name;
    /** The call's namespace ({@link Namespaces}), or null. */
    final String namespace;
    /** The message's text, the call's arguments, or the thinking text so far. */
    final StringBuilder content = new StringBuilder();
    /** A reasoning item's: the thinking block's signature so far, and a redacted block's data (or null). */
    final StringBuilder signature = new StringBuilder();
    String redactedData;
    /** A reasoning item's: the request set {@code reasoning.summary}; it asked for {@code reasoning.encrypted_content}. */
    boolean summary;
    boolean sealed;
    /** A reasoning item's: the caller it is sealed for ({@link ReasoningSeal}), or null. */
    String sealFor;
    /** The summary part has been announced ({@code response.reasoning_summary_part.added}). */
    boolean summaryStarted;
    private String sealedValue;
    String status = "in_progress";

    private OutputItem(Kind kind, String id, int outputIndex, String callId, String name, String namespace) {
        this.kind = kind;
        this.id = id;
        this.outputIndex = outputIndex;
        this.callId = callId;
        this.name = name;
        this.namespace = namespace;
    }

    static OutputItem message(String id, int outputIndex) {
        return new OutputItem(Kind.MESSAGE, id, outputIndex, null, null, null);
    }

    /** A reasoning item for a thinking block; {@code echo} says whether it carries a summary and sealed content. */
    static OutputItem reasoning(String id, int outputIndex, ResponseEcho echo) {
        OutputItem item = new OutputItem(Kind.REASONING, id, outputIndex, null, null, null);
        item.summary = echo.reasoningSummary();
        item.sealed = echo.encryptedReasoning();
        item.sealFor = echo.caller();
        return item;
    }

    /** A call to {@code calledName}, the name the model used: one of a namespace's tools is given back apart. */
    static OutputItem functionCall(String id, int outputIndex, String callId, String calledName, Namespaces namespaces) {
        String namespace = namespaces.namespaceOf(calledName);
        String name = namespace == null ? calledName : Namespaces.inner(calledName, namespace);
        return new OutputItem(Kind.FUNCTION_CALL, id, outputIndex, callId, name, namespace);
    }

    /** A call's arguments: a tool without parameters streams none, and {@code ""} is not JSON a client can parse. */
    String arguments() {
        return content.isEmpty() ? "{}" : content.toString();
    }

    /** The output_text part, with the text so far. */
    String part() {
        return "{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":" + q(content.toString()) + "}";
    }

    /** The reasoning item's summary part, with the thinking text so far. */
    String summaryPart() {
        return "{\"type\":\"summary_text\",\"text\":" + q(content.toString()) + "}";
    }

    /** The item as {@code output_item.added} (empty) or as it stands. */
    String json(boolean empty) {
        return json(empty, sealed);
    }

    /**
     * The item as {@link ItemStore} keeps it: as the answer gave it, and a reasoning item with its sealed block even when
     * the request did not include it, since that block is what a reference to the item brings back to the model.
     */
    String storedJson() {
        return json(false, kind == Kind.REASONING);
    }

    private String json(boolean empty, boolean withSeal) {
        StringBuilder sb = new StringBuilder(64 + (empty ? 0 : content.length()));
        sb.append("{\"id\":").append(q(id));
        if (kind == Kind.REASONING) {
            sb.append(",\"type\":\"reasoning\",\"summary\":[");
            if (!empty && summary && !content.isEmpty()) {
                sb.append(summaryPart());
            }
            sb.append(']');
            if (!empty && withSeal) {
                if (sealedValue == null) { // sealed once: the item is rendered again in the final response object
                    String value = redactedData != null ? ReasoningSeal.redacted(redactedData, sealFor)
                            : ReasoningSeal.thinking(content.toString(), signature.toString(), sealFor);
                    sealedValue = value == null ? "null" : q(value);
                }
                sb.append(",\"encrypted_content\":").append(sealedValue);
            }
            return sb.append(",\"status\":").append(q(status)).append('}').toString();
        }
        if (kind == Kind.MESSAGE) {
            sb.append(",\"type\":\"message\",\"status\":").append(q(status)).append(",\"content\":[")
                    .append(empty ? "" : part()).append("],\"role\":\"assistant\"}");
        } else {
            sb.append(",\"type\":\"function_call\",\"status\":").append(q(status)).append(",\"arguments\":")
                    .append(q(empty ? "" : arguments())).append(",\"call_id\":").append(q(callId));
            if (namespace != null) {
                sb.append(",\"namespace\":").append(q(namespace));
            }
            sb.append(",\"name\":").append(q(name)).append('}');
        }
        return sb.toString();
    }

    /** An id without its type prefix ({@code msg_X}, {@code toolu_X}: {@code X}), to build this API's ids from it. */
    static String bare(String id) {
        int underscore = id == null ? -1 : id.indexOf('_');
        return id == null ? "" : underscore >= 0 ? id.substring(underscore + 1) : id;
    }

    static String q(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s == null ? "" : s)) + "\"";
    }
}
