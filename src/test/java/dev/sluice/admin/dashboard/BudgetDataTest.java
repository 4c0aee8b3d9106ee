package dev.sluice.admin.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.wire.Json;
import org.junit.jupiter.api.Test;

/** What the page says happens at a budget's line, and a gateway without budgets. */
class BudgetDataTest {
    @Test
    void theActionAtTheLineIsTheHighestThresholdAtOrBelowAHundredPercent() throws Exception {
        assertThat(BudgetData.atLine(Json.MAPPER.readTree("[{\"at\":80,\"action\":\"alert\"},{\"at\":100,\"action\":\"block\"}]")))
                .isEqualTo("block");
        assertThat(BudgetData.atLine(Json.MAPPER.readTree("[{\"at\":50,\"action\":\"alert\"},{\"at\":90,\"action\":\"degrade\"}]")))
                .isEqualTo("degrade");
        assertThat(BudgetData.atLine(Json.MAPPER.readTree("[{\"at\":75,\"action\":\"alert\"},{\"at\":120,\"action\":\"block\"}]")))
                .as("a block past the line is not the action at it").isEqualTo("alert");
        assertThat(BudgetData.atLine(Json.MAPPER.readTree("[]"))).isEqualTo("none");
    }

    @Test
    void noBudgetEngineMeansNotAvailable() {
        assertThat(new BudgetData(null).all().get("available").asBoolean()).isFalse();
    }
}
