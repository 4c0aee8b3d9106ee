package dev.sluice.translate;

/**
 * Thrown by a stream decoder when the upstream's answer cannot be read before anything of it was relayed (its first
 * chunk is not JSON, say): the attempt is then a broken answer, a 502 the route may take to its next target, rather
 * than an error event the client would get as the upstream's own 500. The upstream's fault, not the gateway's.
 */
public final class UnreadableAnswer extends RuntimeException {
    public UnreadableAnswer(String message) {
        super(message, null, false, false);
    }
}
