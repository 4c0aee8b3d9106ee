package dev.sluice.authenticate;

import dev.sluice.pipeline.Bounded;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Identity;
import dev.sluice.pipeline.Stage;
import dev.sluice.wire.ApiError;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Resolves the caller ({@link Callers}) and adds the request's own tags ({@code x-sluice-tag-<name>}
 * headers, which Claude Code sets with {@code ANTHROPIC_CUSTOM_HEADERS}). Credentials never go
 * further than this stage.
 */
public final class AuthenticateStage implements Stage {
    static final String TAG_PREFIX = "x-sluice-tag-";
    private final Callers callers;

    public AuthenticateStage(Callers callers) {
        this.callers = callers;
    }

    @Override
    public String name() {
        return "authenticate";
    }

    @Override
    public Future<Void> onRequest(Exchange ex) {
        MultiMap headers = ex.request().headers();
        Identity who = callers.identify(ex.snapshot(), headers);
        ex.identity(who.withRequestTags(requestTags(headers)));
        return CONTINUE;
    }

    /**
     * Tags the request adds with {@code x-sluice-tag-<name>: <value>}. They go into records, reports
     * and metrics, so their number and sizes are bounded: too many or too long is a 400 naming the limit.
     */
    public static Map<String, String> requestTags(MultiMap headers) {
        Map<String, String> tags = null;
        for (Map.Entry<String, String> h : headers) {
            String name = h.getKey();
            if (name.length() > TAG_PREFIX.length() && name.regionMatches(true, 0, TAG_PREFIX, 0, TAG_PREFIX.length())) {
                if (tags == null) {
                    tags = new TreeMap<>();
                }
                String tag = name.substring(TAG_PREFIX.length()).toLowerCase(Locale.ROOT);
                String value = utf8(h.getValue().trim());
                if (tag.length() > Bounded.TAG_NAME || value.length() > Bounded.TAG_VALUE) {
                    throw ApiError.invalidRequest(TAG_PREFIX + "*: tag names are at most " + Bounded.TAG_NAME
                            + " characters and values at most " + Bounded.TAG_VALUE);
                }
                tags.put(tag, value);
                if (tags.size() > Bounded.TAGS) {
                    throw ApiError.invalidRequest(TAG_PREFIX + "*: at most " + Bounded.TAGS + " request tags");
                }
            }
        }
        return tags == null ? Map.of() : tags;
    }

    /**
     * The HTTP layer reads header bytes as ISO-8859-1, one character per byte: a tag written in UTF-8 ({@code café})
     * became {@code cafÃ©} in every record and report. Read back as UTF-8; bytes that are not UTF-8 are a 400.
     */
    static String utf8(String latin1) {
        for (int i = 0; i < latin1.length(); i++) {
            if (latin1.charAt(i) > 0x7F) {
                try {
                    return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(latin1.getBytes(StandardCharsets.ISO_8859_1)))
                            .toString();
                } catch (CharacterCodingException e) {
                    throw ApiError.invalidRequest(TAG_PREFIX + "*: tag values must be UTF-8 text");
                }
            }
        }
        return latin1;
    }
}
