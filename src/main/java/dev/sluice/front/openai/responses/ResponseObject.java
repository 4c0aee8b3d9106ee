package dev.sluice.front.openai.responses;

import dev.sluice.wire.Usage;
import java.util.List;

/**
 * The Responses API's {@code response} object: the whole answer, and what {@code response.created},
 * {@code response.completed} and their kin carry in a stream. No {@code output_text}: that is a convenience the
 * Python and JavaScript SDKs compute from {@code output}, not a field of the API's JSON.
 */
final class ResponseObject {
    /** How the answer ended, and why when it is not {@code completed}. */
    record Ending(String status, String incompleteReason, String errorCode, String errorMessage) {
        static final Ending IN_PROGRESS = new Ending("in_progress", null, null, null);
        static final Ending COMPLETED = new Ending("completed", null, null, null);

        static Ending failed(String code, String message) {
            return new Ending("failed", null, code, message);
        }

        /** The ending for a canonical {@code stop_reason}: a cap reached or a refusal leave the answer incomplete. */
        static Ending of(String stopReason) {
            if (stopReason == null) {
                return COMPLETED;
            }
            return switch (stopReason) {
                case "max_tokens", "model_context_window_exceeded" -> new Ending("incomplete", "max_output_tokens", null, null);
                case "refusal" -> new Ending("incomplete", "content_filter", null, null);
                default -> COMPLETED;
            };
        }
    }

    private ResponseObject() {
    }

    /**
     * @param usage  null while the answer streams (the API gives usage with the final event only)
     * @param stored the answer's items are kept for references ({@link ItemStore})
     */
    static String json(String id, long createdAt, String model, List<OutputItem> output, Ending ending, Usage usage, ResponseEcho echo,
                       boolean stored) {
        StringBuilder sb = new StringBuilder(512);
        sb.append("{\"id\":").append(OutputItem.q(id)).append(",\"object\":\"response\",\"created_at\":").append(createdAt)
                .append(",\"status\":").append(OutputItem.q(ending.status())).append(",\"background\":false,\"error\":");
        if (ending.errorCode() == null) {
            sb.append("null");
        } else {
            sb.append("{\"code\":").append(OutputItem.q(ending.errorCode())).append(",\"message\":")
                    .append(OutputItem.q(ending.errorMessage())).append('}');
        }
        sb.append(",\"incomplete_details\":").append(ending.incompleteReason() == null ? "null"
                : "{\"reason\":" + OutputItem.q(ending.incompleteReason()) + "}");
        sb.append(",\"model\":").append(OutputItem.q(model)).append(",\"output\":[");
        for (int i = 0; i < output.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(output.get(i).json(false));
        }
        sb.append("],\"previous_response_id\":null,\"store\":").append(stored)
                .append(",\"truncation\":\"disabled\",\"usage\":")
                .append(usage == null ? "null" : usage(usage)).append(echo.fields()).append('}');
        return sb.toString();
    }

    /** OpenAI's usage: input tokens include cache writes and reads; cached tokens are the reads, cache write tokens the writes. */
    static String usage(Usage u) {
        long input = u.promptTokens();
        return "{\"input_tokens\":" + input + ",\"input_tokens_details\":{\"cached_tokens\":" + u.cacheReadInputTokens()
                + ",\"cache_write_tokens\":" + u.cacheWriteTokens() + "},\"output_tokens\":" + u.outputTokens() + ",\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":"
                + (input + u.outputTokens()) + "}";
    }

    /** The Responses id for a canonical message id: {@code msg_X} becomes {@code resp_X}. */
    static String responseId(String messageId) {
        String bare = messageId == null || messageId.isEmpty() ? "sluice" : messageId.startsWith("msg_") ? messageId.substring(4) : messageId;
        return bare.startsWith("resp_") ? bare : "resp_" + bare;
    }

    /** The error code a failed response carries, for a canonical error type. */
    static String errorCode(String anthropicType) {
        return switch (anthropicType == null ? "" : anthropicType) {
            case "rate_limit_error" -> "rate_limit_exceeded";
            case "invalid_request_error" -> "invalid_prompt";
            default -> "server_error";
        };
    }
}
