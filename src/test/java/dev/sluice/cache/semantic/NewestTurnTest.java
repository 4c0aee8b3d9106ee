package dev.sluice.cache.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NewestTurnTest {
    private static NewestTurn of(String json) {
        return NewestTurn.of(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void stringContentIsTheNewestText_andItsByteRangeCoversTheJsonString() {
        String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"first\"},"
                + "{\"role\":\"assistant\",\"content\":\"ok\"},{\"role\":\"user\",\"content\":\"Where is `main`? é\"}]}";
        NewestTurn t = of(body);
        assertThat(t.kind()).isEqualTo(NewestTurn.Kind.TEXT);
        assertThat(t.text()).isEqualTo("Where is `main`? é");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        assertThat(new String(bytes, t.start(), t.end() - t.start(), StandardCharsets.UTF_8)).isEqualTo("\"Where is `main`? é\"");
    }

    @Test
    void claudeCodeReminderBlocksAreContext_theTypedPromptIsTheText() {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"<system-reminder>cwd /home/a</system-reminder>\"},"
                + "{\"text\":\"Explain the rate limiter\",\"type\":\"text\",\"cache_control\":{\"type\":\"ephemeral\"}}]}],\"stream\":true}";
        NewestTurn t = of(body);
        assertThat(t.kind()).isEqualTo(NewestTurn.Kind.TEXT);
        assertThat(t.text()).isEqualTo("Explain the rate limiter");
        assertThat(body.substring(t.start(), t.end())).isEqualTo("\"Explain the rate limiter\"");
    }

    @Test
    void aToolResultAnywhereInTheLastMessageIsNeverMatched() {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"Read\",\"input\":{}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t1\",\"content\":\"file\"},{\"type\":\"text\",\"text\":\"also this\"}]}]}";
        assertThat(of(body).kind()).isEqualTo(NewestTurn.Kind.TOOL_RESULT);
    }

    @Test
    void assistantLastMalformedOrEmptyIsNone() {
        assertThat(of("{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"prefill\"}]}").kind())
                .isEqualTo(NewestTurn.Kind.NONE);
        assertThat(of("{\"messages\":[{\"role\":\"user\",\"content\":\"   \"}]}").kind()).isEqualTo(NewestTurn.Kind.NONE);
        assertThat(of("{\"messages\":[{\"role\":\"user\",\"content\":\"unterminated").kind()).isEqualTo(NewestTurn.Kind.NONE);
        assertThat(of("[1,2]").kind()).isEqualTo(NewestTurn.Kind.NONE);
        assertThat(of("").kind()).isEqualTo(NewestTurn.Kind.NONE);
    }
}
