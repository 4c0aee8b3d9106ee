package dev.sluice.cache.stage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.AdminConfig;
import io.vertx.core.MultiMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which admin keys may rate any caller's answer: only write keys, since a rating evicts and retunes shared entries. */
class FeedbackAdminTest {
    private static final AdminConfig ADMIN = new AdminConfig(List.of(
            new AdminConfig.AdminKey("adm-write-key-123456", "write", "ops"),
            new AdminConfig.AdminKey("adm-read-key-1234567", "read", "viewer")), null);

    private static MultiMap bearer(String token) {
        return MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer " + token);
    }

    @Test
    void aWriteKeyMayRateAnyRequest() {
        assertThat(FeedbackEndpoint.mayRateAny(ADMIN, bearer("adm-write-key-123456"))).isTrue();
    }

    @Test
    void aReadKeyOrAnUnknownKeyMayNot() {
        assertThat(FeedbackEndpoint.mayRateAny(ADMIN, bearer("adm-read-key-1234567"))).isFalse();
        assertThat(FeedbackEndpoint.mayRateAny(ADMIN, bearer("adm-write-key-12345"))).isFalse();
        assertThat(FeedbackEndpoint.mayRateAny(ADMIN, MultiMap.caseInsensitiveMultiMap())).isFalse();
    }
}
