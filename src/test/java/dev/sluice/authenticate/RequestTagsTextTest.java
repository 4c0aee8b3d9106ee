package dev.sluice.authenticate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.wire.ApiError;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Request tags as the HTTP layer hands them over: header bytes as ISO-8859-1 characters, one per byte (round 23). */
class RequestTagsTextTest {
    /** The header as Vert.x reads it from the wire: each UTF-8 byte of the value became one character. */
    private static MultiMap header(String name, String utf8Value) {
        String asRead = new String(utf8Value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        return MultiMap.caseInsensitiveMultiMap().add(name, asRead);
    }

    @Test
    void aTagWrittenInUtf8IsRecordedAsWritten() {
        assertThat(AuthenticateStage.requestTags(header("x-sluice-tag-feature", "café"))).containsEntry("feature", "café");
        assertThat(AuthenticateStage.requestTags(header("x-sluice-tag-team", "東京"))).containsEntry("team", "東京");
        assertThat(AuthenticateStage.requestTags(header("x-sluice-tag-repo", "plain"))).containsEntry("repo", "plain");
    }

    @Test
    void bytesThatAreNotUtf8AreAClearError() {
        MultiMap latin1 = MultiMap.caseInsensitiveMultiMap().add("x-sluice-tag-feature", "caf\u00e9"); // the byte 0xE9 alone
        assertThatThrownBy(() -> AuthenticateStage.requestTags(latin1)).isInstanceOf(ApiError.class)
                .hasMessageContaining("UTF-8");
    }
}
