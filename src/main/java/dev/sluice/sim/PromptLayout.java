package dev.sluice.sim;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A request's prompt as the cache sees it: the blocks in cache order (tools, then system, then messages),
 * each with its input tokens, the hash of the prefix ending at it, and its cache breakpoint, if any.
 *
 * <p>Prefix hashes chain: {@code h(i) = sha256(h(i-1) ‖ section ‖ canonical(block i))}, seeded with the
 * model, so two requests share {@code h(i)} exactly when they agree on the model and on blocks 0..i.
 */
final class PromptLayout {

    /** The real API rejects more; so does the simulator. */
    static final int MAX_BREAKPOINTS = 4;

    private int size;
    private int[] tokensThrough = new int[16];
    private PrefixHash[] prefixes = new PrefixHash[16];
    private CacheTtl[] breakpoints = new CacheTtl[16];

    private final MessageDigest sha256;
    private byte[] chain;

    private PromptLayout(String model) {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM must provide SHA-256", e);
        }
        chain = sha256.digest(("model\0" + model).getBytes(UTF_8));
    }

    /** Lays out a validated request; throws a 400 {@link ApiException} for bad {@code cache_control}. */
    static PromptLayout of(MessagesRequest request) {
        PromptLayout layout = new PromptLayout(request.model());
        for (int i = 0; i < request.tools().size(); i++) {
            JsonNode tool = request.tools().get(i);
            byte[] canonical = CanonicalJson.of(tool);
            layout.add("tool", canonical, Tokenizer.ofBytes(canonical.length),
                    CacheTtl.ofCacheControl(tool.get("cache_control"), "tools." + i));
        }
        layout.addContent("system", request.system(), "system");
        for (int i = 0; i < request.messages().size(); i++) {
            JsonNode message = request.messages().get(i);
            layout.addContent(message.path("role").asText(), message.get("content"), "messages." + i + ".content");
        }
        layout.applyAutomaticBreakpoint(request.cacheControl());
        layout.checkBreakpointCount();
        return layout;
    }

    int size() {
        return size;
    }

    int totalTokens() {
        return size == 0 ? 0 : tokensThrough[size - 1];
    }

    /** Input tokens of blocks 0..index. */
    int tokensThrough(int index) {
        return tokensThrough[index];
    }

    PrefixHash prefix(int index) {
        return prefixes[index];
    }

    /** The ttl of the breakpoint on this block, or null when it carries none. */
    CacheTtl breakpoint(int index) {
        return breakpoints[index];
    }

    /** Index of the last block carrying a breakpoint, or -1. */
    int lastBreakpoint() {
        for (int i = size - 1; i >= 0; i--) {
            if (breakpoints[i] != null) {
                return i;
            }
        }
        return -1;
    }

    private void addContent(String section, JsonNode content, String where) {
        if (content == null) {
            return;
        }
        if (content.isTextual()) {
            // A bare string is the same prompt as one text block holding it.
            JsonNode block = SimJson.object().put("type", "text").put("text", content.asText());
            add(section, CanonicalJson.of(block), Tokenizer.count(content.asText()), null);
            return;
        }
        for (int j = 0; j < content.size(); j++) {
            JsonNode block = content.get(j);
            add(section, CanonicalJson.of(block), ContentTokens.ofBlock(block),
                    CacheTtl.ofCacheControl(block.get("cache_control"), where + "." + j));
        }
    }

    private void add(String section, byte[] canonical, int tokens, CacheTtl breakpoint) {
        if (size == tokensThrough.length) {
            tokensThrough = Arrays.copyOf(tokensThrough, size * 2);
            prefixes = Arrays.copyOf(prefixes, size * 2);
            breakpoints = Arrays.copyOf(breakpoints, size * 2);
        }
        sha256.update(chain);
        sha256.update(section.getBytes(UTF_8));
        sha256.update((byte) 0);
        sha256.update(canonical);
        chain = sha256.digest();
        tokensThrough[size] = (size == 0 ? 0 : tokensThrough[size - 1]) + tokens;
        prefixes[size] = PrefixHash.of(chain);
        breakpoints[size] = breakpoint;
        size++;
    }

    /** A top-level {@code cache_control} puts a breakpoint on the last block. */
    private void applyAutomaticBreakpoint(JsonNode cacheControl) {
        CacheTtl ttl = CacheTtl.ofCacheControl(cacheControl, "request");
        if (ttl != null && size > 0 && breakpoints[size - 1] == null) {
            breakpoints[size - 1] = ttl;
        }
    }

    private void checkBreakpointCount() {
        int found = 0;
        for (int i = 0; i < size; i++) {
            if (breakpoints[i] != null) {
                found++;
            }
        }
        if (found > MAX_BREAKPOINTS) {
            throw ApiException.invalidRequest("A maximum of " + MAX_BREAKPOINTS
                    + " blocks with cache_control may be provided. Found " + found + ".");
        }
    }
}
