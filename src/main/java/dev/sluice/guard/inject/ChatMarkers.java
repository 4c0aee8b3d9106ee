package dev.sluice.guard.inject;

import dev.sluice.guard.Rule;
import dev.sluice.guard.detect.Detector;
import dev.sluice.guard.detect.Emitter;
import dev.sluice.guard.detect.Keyword;
import dev.sluice.guard.detect.Text;
import java.util.List;

/**
 * Chat-template control text inside content ({@code <|im_start|>system}, {@code [INST]}, {@code <<SYS>>},
 * a fake {@code \n\nHuman:} turn): a page trying to open a turn of its own. Tokenizer code and model docs
 * contain these too, so they weigh little alone and mostly add to other signals.
 */
public final class ChatMarkers implements Detector {
    static final Rule RULE = Rule.injection("prompt-injection-markers", "Chat-template role markers inside content");

    private static final List<Keyword> KEYWORDS = List.of(Keyword.of("<|im_start|>"), Keyword.of("<|system|>"),
            Keyword.of("<|assistant|>"), Keyword.of("[inst]"), Keyword.of("<<sys>>"), Keyword.of("<|start_header_id|>"),
            Keyword.exact("\n\nHuman:"), Keyword.exact("\n\nAssistant:"), Keyword.of("</system>"), Keyword.of("<system>"));

    @Override
    public List<Rule> rules() {
        return List.of(RULE);
    }

    @Override
    public List<Keyword> keywords() {
        return KEYWORDS;
    }

    @Override
    public int check(Text t, int keyword, int start, int end, Emitter out) {
        boolean quoted = Words.quoted(t, start, end);
        out.signal(t, RULE, start, end, 0.35 * t.source().injectionWeight() * (quoted ? 0.4 : 1.0), !quoted);
        return end;
    }
}
