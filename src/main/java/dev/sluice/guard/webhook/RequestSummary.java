package dev.sluice.guard.webhook;

import dev.sluice.guard.Finding;
import java.util.List;
import java.util.Objects;

/**
 * What the policy webhook is told about a request: who, which model, how big, and what the scanners found
 * (rule, severity, location, score). Never the content, the matched text, or any credential.
 */
public record RequestSummary(String requestId, String org, String team, String user, String keyId, String model,
        int messages, int bodyBytes, List<Finding> findings) {

    public RequestSummary {
        Objects.requireNonNull(requestId, "request id");
        findings = List.copyOf(findings);
    }
}
