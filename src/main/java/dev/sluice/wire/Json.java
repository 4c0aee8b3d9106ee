package dev.sluice.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one JSON factory of the gateway, and a mapper built on it, so every parser has the same
 * limits. Bodies are bounded by the body cap (32 MB) before they are parsed, so a single string
 * may be that long (a base64 image); nesting is bounded so a hostile body of brackets cannot
 * recurse without end.
 */
public final class Json {
    /** Deepest nesting accepted in any body, request or response (real Claude Code bodies stay under 20). */
    public static final int MAX_DEPTH = 256;

    public static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(64 * 1024 * 1024)
                    .maxNestingDepth(MAX_DEPTH)
                    .build())
            .build();

    /** For small documents where a tree is the clearest code (admin, config, reports); never on the hot path. */
    public static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private Json() {
    }
}
