package dev.sluice.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SessionIdsTest {
    @Test
    void claudeCodeMetadataYieldsItsSessionId() {
        String cc = "{\"device_id\":\"d1\",\"account_uuid\":\"\",\"session_id\":\"5f1e9a52-6a0e\"}";
        assertThat(SessionIds.fromMetadata(cc)).isEqualTo("5f1e9a52-6a0e");
    }

    @Test
    void opaqueOrBrokenIdsStandForTheSession() {
        assertThat(SessionIds.fromMetadata("user-42")).isEqualTo("user-42");
        assertThat(SessionIds.fromMetadata("{not json")).isEqualTo("{not json");
        assertThat(SessionIds.fromMetadata("{\"device_id\":\"d1\"}")).isEqualTo("{\"device_id\":\"d1\"}");
        assertThat(SessionIds.fromMetadata(null)).isNull();
    }
}
