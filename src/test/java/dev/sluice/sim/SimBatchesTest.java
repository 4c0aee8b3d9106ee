package dev.sluice.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.models.messages.batches.BatchCreateParams;
import com.anthropic.models.messages.batches.BatchListParams;
import com.anthropic.models.messages.batches.MessageBatch;
import com.anthropic.models.messages.batches.MessageBatchIndividualResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The simulator's Message Batches, read by the official SDK straight from it: what the gateway relays must be the real shape. */
class SimBatchesTest {
    private static final SimHarness sim = SimHarness.start(SimOptions.defaults().withInstances(1));
    private static final AnthropicClient client = sdk("sk-ant-batches");

    private static AnthropicClient sdk(String key) {
        return AnthropicOkHttpClient.builder().apiKey(key).baseUrl(sim.server.baseUrl()).maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        sim.close();
    }

    private static MessageBatch create(String... customIds) {
        BatchCreateParams.Builder b = BatchCreateParams.builder();
        for (String id : customIds) {
            b.addRequest(BatchCreateParams.Request.builder().customId(id).params(BatchCreateParams.Request.Params.builder()
                    .model(SimHarness.MODEL).maxTokens(256).addUserMessage("Hello there").build()).build());
        }
        return client.messages().batches().create(b.build());
    }

    @Test
    void aBatchEndsAndItsResultsCarryUsageOrAnError() throws Exception {
        MessageBatch b = create("one", "fail-two");
        assertThat(b.processingStatus()).isEqualTo(MessageBatch.ProcessingStatus.IN_PROGRESS);
        assertThat(b.requestCounts().processing()).isEqualTo(2);
        assertThatThrownBy(() -> client.messages().batches().delete(b.id())).isInstanceOf(BadRequestException.class);
        Thread.sleep(SimBatches.DEFAULT_PROCESSING_MILLIS + 100);
        MessageBatch ended = client.messages().batches().retrieve(b.id());
        assertThat(ended.processingStatus()).isEqualTo(MessageBatch.ProcessingStatus.ENDED);
        assertThat(ended.resultsUrl()).hasValueSatisfying(u -> assertThat(u).startsWith(sim.server.baseUrl()));
        List<MessageBatchIndividualResponse> results;
        try (StreamResponse<MessageBatchIndividualResponse> s = client.messages().batches().resultsStreaming(b.id())) {
            results = s.stream().toList();
        }
        assertThat(results.get(0).result().succeeded().orElseThrow().message().usage().inputTokens()).isEqualTo(3);
        assertThat(results.get(0).result().succeeded().orElseThrow().message().usage().outputTokens()).isEqualTo(40);
        assertThat(results.get(1).result().isErrored()).isTrue();
        assertThat(client.messages().batches().delete(b.id()).id()).isEqualTo(b.id());
        assertThatThrownBy(() -> client.messages().batches().retrieve(b.id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aKeySeesOnlyItsOwnBatchesNewestFirstPaged() {
        MessageBatch older = create("a");
        MessageBatch newer = create("b");
        var page = client.messages().batches().list(BatchListParams.builder().limit(1).build());
        assertThat(page.data()).extracting(MessageBatch::id).containsExactly(newer.id());
        assertThat(page.nextPage().data()).extracting(MessageBatch::id).containsExactly(older.id());
        AnthropicClient stranger = sdk("sk-ant-someone-else");
        try {
            assertThat(stranger.messages().batches().list().data()).isEmpty();
            assertThatThrownBy(() -> stranger.messages().batches().retrieve(older.id())).isInstanceOf(NotFoundException.class);
        } finally {
            stranger.close();
        }
    }
}
