package dev.sluice.cache.entry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.Answers;
import dev.sluice.wire.Json;
import dev.sluice.wire.SseEvent;
import dev.sluice.wire.SseFramer;
import dev.sluice.wire.StreamUsage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaptureCheckTest {
    static String check(List<SseEvent> events, CaptureCheck.Rules rules) {
        StreamUsage usage = new StreamUsage();
        events.forEach(e -> usage.onEvent(e.type(), e.raw(), e.dataStart(), e.dataLength()));
        return CaptureCheck.stream(events, usage, rules);
    }

    @Test
    void storesCompleteAnswers() {
        for (String stop : List.of("end_turn", "tool_use", "stop_sequence")) {
            assertThat(check(Answers.stream(stop, Answers.text("fine")), CaptureCheck.Rules.DEFAULT)).isNull();
        }
    }

    @Test
    void neverStoresTruncatedBrokenOrRefusedAnswers() {
        List<SseEvent> ok = Answers.stream("end_turn", Answers.text("fine"));
        assertThat(check(ok.subList(0, ok.size() - 1), CaptureCheck.Rules.DEFAULT)).contains("message_stop");
        List<SseEvent> withError = new ArrayList<>(ok);
        withError.add(3, SseFramer.parse("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"x\"}}\n\n".getBytes()));
        assertThat(check(withError, CaptureCheck.Rules.DEFAULT)).contains("error");
        assertThat(check(ok.subList(1, ok.size()), CaptureCheck.Rules.DEFAULT)).contains("message_start");
        List<SseEvent> unclosed = new ArrayList<>(ok);
        unclosed.removeIf(e -> e.type().equals("content_block_stop"));
        assertThat(check(unclosed, CaptureCheck.Rules.DEFAULT)).contains("block");
        for (String stop : List.of("max_tokens", "refusal", "pause_turn", "model_context_window_exceeded")) {
            assertThat(check(Answers.stream(stop, Answers.text("x")), CaptureCheck.Rules.DEFAULT)).as(stop).contains(stop);
        }
        assertThat(check(Answers.stream("max_tokens", Answers.text("x")), new CaptureCheck.Rules(true, false))).isNull();
        assertThat(check(Answers.stream("refusal", Answers.text("x")), new CaptureCheck.Rules(false, true))).isNull();
    }

    @Test
    void bodiesMustBeSuccessfulMessages() throws Exception {
        var ok = Json.MAPPER.readTree(Answers.message("end_turn", Answers.text("fine")));
        assertThat(CaptureCheck.message(200, ok, CaptureCheck.Rules.DEFAULT)).isNull();
        assertThat(CaptureCheck.message(529, ok, CaptureCheck.Rules.DEFAULT)).contains("529");
        var error = Json.MAPPER.readTree("{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"x\"}}");
        assertThat(CaptureCheck.message(200, error, CaptureCheck.Rules.DEFAULT)).contains("not a message");
        var capped = Json.MAPPER.readTree(Answers.message("max_tokens", Answers.text("cut")));
        assertThat(CaptureCheck.message(200, capped, CaptureCheck.Rules.DEFAULT)).contains("max_tokens");
    }

    @Test
    void theSecretGuardFlagsCredentialsAndNothingElse() {
        SecretWriteGuard guard = new SecretWriteGuard();
        assertThat(guard.flag("aws_access_key_id = AKIAIOSFODNN7EXAMPLE")).contains("aws");
        assertThat(guard.flag("-----BEGIN OPENSSH PRIVATE KEY-----\nabc")).contains("private-key");
        assertThat(guard.flag("export ANTHROPIC_API_KEY=sk-ant-api03-abcdefghijklmnopqrstuvwxyz")).contains("anthropic");
        assertThat(guard.flag("token ghp_0123456789abcdefghijklmnopqrstuvwxyz")).contains("github");
        assertThat(guard.flag("DB_PASSWORD: hunter2hunter2")).contains("password");
        assertThat(guard.flag("`calc.py` defines add(a, b), which returns a + b. Passwords should be hashed.")).isNull();
        assertThat(guard.flag("x".repeat(5 * 1024 * 1024))).contains("too long");
    }
}
