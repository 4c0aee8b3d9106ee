package dev.sluice.wire;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code anthropic-beta} values of a request: every header line, split on commas, trimmed,
 * de-duplicated in order. Nothing is filtered by an allow-list (a gateway that drops betas breaks
 * Claude Code features); only sizes are bounded, since the values are caller-controlled.
 */
public final class Betas {
    static final int MAX_BETAS = 64;
    static final int MAX_LENGTH = 128;

    private Betas() {
    }

    /**
     * @param headerValues every {@code anthropic-beta} header value, in order (none is fine)
     * @throws ApiError 400 when there are more than 64 values or one is longer than 128 characters
     */
    public static List<String> parse(List<String> headerValues) {
        Set<String> out = new LinkedHashSet<>();
        for (String line : headerValues) {
            for (String raw : line.split(",")) {
                String beta = raw.strip();
                if (beta.isEmpty()) {
                    continue;
                }
                if (beta.length() > MAX_LENGTH) {
                    throw ApiError.invalidRequest("anthropic-beta: a value of " + beta.length()
                            + " characters (expected: at most " + MAX_LENGTH + ")");
                }
                out.add(beta);
                if (out.size() > MAX_BETAS) {
                    throw ApiError.invalidRequest("anthropic-beta: more than " + MAX_BETAS + " values");
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** The values as a JSON array of strings. */
    public static String jsonArray(List<String> betas) {
        StringBuilder sb = new StringBuilder(betas.size() * 32).append('[');
        for (int i = 0; i < betas.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('"').append(new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance()
                    .quoteAsString(betas.get(i)))).append('"');
        }
        return sb.append(']').toString();
    }
}
