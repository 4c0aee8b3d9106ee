package dev.sluice.translate;

import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a client may see of a cloud provider's error message. Bedrock and Vertex messages can name
 * the gateway's AWS account, an ARN, a role or a GCP project: those are logged for the operator and
 * replaced by a generic message of the same {@code error.type}. The prompt-too-long family is the
 * exception, relayed so Claude Code's auto-compaction (which keys on the text) still fires: Bedrock's
 * size error becomes exactly {@code Input is too long.}; Anthropic's own
 * {@code prompt is too long: N tokens > M maximum} passes verbatim (it carries the counts compaction reads).
 */
public final class CloudErrors {
    private static final Logger log = LoggerFactory.getLogger(CloudErrors.class);

    /** Bedrock's size error as Claude Code expects it. */
    public static final String INPUT_TOO_LONG = "Input is too long.";

    /** ARNs, 12-digit AWS account ids, GCP project paths and numbers, e-mail-like principals, access key ids. */
    private static final Pattern LEAK = Pattern.compile(
            "arn:aws|arn:[a-z-]+:|(?<!\\d)\\d{12}(?!\\d)|projects/|project[ _-]?(id|number)?[ :=]+\\S|"
                    + "@[\\w.-]+\\.(iam\\.)?gserviceaccount|serviceaccount|(AKIA|ASIA)[A-Z0-9]{12,}|account",
            Pattern.CASE_INSENSITIVE);
    private static final int MAX_RELAYED = 2_000;
    private static final int MAX_LOGGED = 500;

    private CloudErrors() {
    }

    /** True for the messages that say the prompt does not fit the model (Bedrock's and Anthropic's wordings). */
    public static boolean promptTooLong(String message) {
        if (message == null) {
            return false;
        }
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("input is too long") || m.contains("prompt is too long")
                || m.contains("too many input tokens") || m.contains("input too long");
    }

    /**
     * The message to relay for an upstream error of {@code type} from {@code provider}: the prompt-too-long
     * family as described above, a message free of account details as it is (bounded), else a generic one.
     */
    public static String clientMessage(String provider, String type, String message) {
        if (promptTooLong(message)) {
            return message.toLowerCase(Locale.ROOT).contains("prompt is too long") ? bound(message) : INPUT_TOO_LONG;
        }
        if (message == null || message.isBlank()) {
            return generic(provider, type);
        }
        if (LEAK.matcher(message).find()) {
            log.warn("{} error ({}) replaced by a generic message for the client: {}", provider, type,
                    message.length() > MAX_LOGGED ? message.substring(0, MAX_LOGGED) + "..." : message);
            return generic(provider, type);
        }
        return bound(message);
    }

    /** A message that says what kind of failure it was and where, without any account detail. */
    public static String generic(String provider, String type) {
        return switch (type) {
            case "authentication_error" -> provider + " refused the gateway's credentials";
            case "permission_error" -> provider + " denied access to the model for the gateway's account";
            case "not_found_error" -> provider + " does not know the model or resource requested";
            case "rate_limit_error" -> provider + " is throttling requests; retry later";
            case "overloaded_error" -> provider + " is overloaded; retry later";
            case "timeout_error" -> provider + " timed out";
            case "invalid_request_error" -> provider + " rejected the request as invalid";
            default -> provider + " failed to serve the request";
        };
    }

    /** The Anthropic error type for an HTTP status, when the provider's body names none we know. */
    public static String typeForStatus(int status) {
        return switch (status) {
            case 400, 413, 422 -> status == 413 ? "request_too_large" : "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 408, 504 -> "timeout_error";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            default -> "api_error";
        };
    }

    private static String bound(String message) {
        return message.length() > MAX_RELAYED ? message.substring(0, MAX_RELAYED) + "..." : message;
    }
}
