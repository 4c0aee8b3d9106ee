package dev.sluice.budget;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Input tokens of a request, counted from its body before it is sent, as two numbers.
 *
 * <p><b>The bound</b> (what the overshoot bound of a budget rests on): every byte of the body as one token, plus
 * {@value #OVERHEAD} tokens for what the API adds around it (message framing, the tool-use system prompt), plus
 * {@value #PER_IMAGE} per image block (an image is resized to at most about 1.15 megapixels, about 1,600 tokens) and
 * {@value #DOCUMENTS} when the body has any document block (at most 100 PDF pages per request at up to about 3,000
 * tokens each). A token covers at least one byte of text, and a JSON body carries its text plus quotes, keys and
 * escapes, so for text the bound overcounts roughly threefold: it never undercounts what the upstream bills, except
 * for what the body cannot show (server tools such as web search bill their results as input; such attempts are
 * counted in {@code sluice_budget_over_bound_total}).
 *
 * <p><b>The estimate</b> (what is reserved far from the line): the body's bytes times a ratio learned per model from
 * what upstreams billed (an exponentially weighted mean of billed prompt tokens per body byte, starting at
 * {@value #INITIAL_RATIO}), plus the same allowance per image; never above the bound. It may undercount; that only
 * moves a reservation between "reserved" and "slack", never the bound.
 */
public final class InputTokens {
    static final long OVERHEAD = 1_024;
    static final long PER_IMAGE = 1_600;
    static final long DOCUMENTS = 300_000;
    static final double INITIAL_RATIO = 0.3;
    private static final double ALPHA = 0.05;
    private static final int MAX_MODELS = 512;

    private final ConcurrentHashMap<String, double[]> ratios = new ConcurrentHashMap<>();

    /** Both numbers for one body. */
    public record Count(long estimate, long bound) {
    }

    /** Counts {@code length} bytes of {@code body} for {@code model}. */
    public Count count(String model, byte[] body, int length) {
        MediaScan.Media media = body == null ? MediaScan.Media.NONE : MediaScan.count(body, length);
        long mediaTokens = media.images() * PER_IMAGE + (media.documents() > 0 ? DOCUMENTS : 0);
        long bound = length + OVERHEAD + mediaTokens;
        long estimate = (long) Math.ceil(length * ratio(model)) + media.images() * PER_IMAGE;
        return new Count(Math.min(estimate, bound), bound);
    }

    /**
     * The count of {@code length} bytes read as text alone, without looking for media blocks: for a request that no
     * budget or rate limit charges, where the numbers are carried but never used to refuse or reserve anything.
     */
    public Count textOnly(String model, int length) {
        long bound = length + OVERHEAD;
        return new Count(Math.min((long) Math.ceil(length * ratio(model)), bound), bound);
    }

    /** The learned prompt tokens per body byte for {@code model}. */
    public double ratio(String model) {
        double[] r = model == null ? null : ratios.get(model);
        if (r == null) {
            return INITIAL_RATIO;
        }
        synchronized (r) {
            return r[0];
        }
    }

    /** Learns from an attempt the upstream billed: {@code promptTokens} (input, cache reads and writes) for a body. */
    public void observe(String model, long bodyBytes, long promptTokens) {
        if (model == null || bodyBytes <= 0 || promptTokens <= 0) {
            return;
        }
        double seen = Math.min(1.0, Math.max(0.02, (double) promptTokens / bodyBytes));
        double[] r = ratios.get(model);
        if (r == null) {
            if (ratios.size() >= MAX_MODELS) {
                return; // model names are the client's choice: the map stays bounded
            }
            r = ratios.computeIfAbsent(model, m -> new double[] {seen});
        }
        synchronized (r) {
            r[0] += ALPHA * (seen - r[0]);
        }
    }
}
