package dev.sluice.upstream;

/**
 * What an operator needs to read in the log about a failed attempt: the failure and what lies under it. Netty
 * wraps a TLS failure as "Failed to create SSL connection", and the reason an operator can act on (an untrusted
 * certificate, a name that does not match, a protocol the upstream refuses) is only in the causes beneath.
 */
final class FailureText {
    /** Causes followed at most this deep (a cycle or a deep chain must not grow a log line). */
    private static final int MAX_DEPTH = 4;
    private static final int MAX_CHARS = 600;

    private FailureText() {
    }

    static String of(Throwable failure) {
        StringBuilder text = new StringBuilder(failure.getMessage() == null ? failure.getClass().getSimpleName()
                : failure.getMessage());
        Throwable seen = failure;
        Throwable cause = failure.getCause();
        for (int depth = 0; cause != null && cause != seen && depth < MAX_DEPTH; depth++) {
            // A cause that only repeats what is already said (Netty copies its cause's message) adds nothing.
            if (cause.getMessage() == null || text.indexOf(cause.getMessage()) < 0) {
                text.append(": ").append(message(cause));
            }
            seen = cause;
            cause = cause.getCause();
        }
        return text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) + "…" : text.toString();
    }

    private static String message(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + " " + t.getMessage();
    }
}
