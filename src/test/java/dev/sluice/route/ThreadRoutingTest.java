package dev.sluice.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.Exchange;
import dev.sluice.upstream.Upstreams;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A continue goes to the upstream and key that hold its thread; the thread field and answer ids are read bounded. */
class ThreadRoutingTest {
    private final RouteFixture f = new RouteFixture("""
            auth: {keys: ["sk-gw"]}
            upstreams:
              - name: first
                base-url: http://127.0.0.1:1
                keys: [{alias: a1, value: sk-a1}, {alias: a2, value: sk-a2}]
              - name: second
                base-url: http://127.0.0.1:2
                keys: [{alias: b1, value: sk-b1}, {alias: b2, value: sk-b2}]
            routes:
              - match: "*"
                targets: [{upstream: first, priority: 1}, {upstream: second, priority: 1}]
            """);

    @Test
    void aContinueGoesToTheKeyThatHoldsItsThreadWhateverTheBalancerWouldPick() {
        for (String home : new String[] {"a1", "a2", "b1", "b2"}) {
            String upstream = home.startsWith("a") ? "first" : "second";
            for (int i = 0; i < 20; i++) {
                f.state.threads().served("key-1", "msg_" + home + i, new StickyTable.Spot(upstream, home));
                RequestTraits t = f.traits("claude-x", "tool result " + i); // a continue's messages say nothing of its home
                ThreadRequest thread = new ThreadRequest("msg_" + home + i);
                RoutePlan plan = new RoutePlan(f.router().match(t), f.state, f.snapshot.get(Upstreams.PART),
                        f.snapshot.config().routing().health(), t, thread, f.state.threads().get("key-1", "msg_" + home + i));
                Exchange ex = f.exchange();
                Attempt a = RouteFixture.attempt(ex, plan, plan.first(), f.snapshot.get(Upstreams.PART));
                assertThat(a.target().upstream()).isEqualTo(upstream);
                assertThat(a.upstreamKeyAlias()).isEqualTo(home);
            }
        }
        // Another key's continue of the same id finds nothing.
        assertThat(f.state.threads().get("key-2", "msg_a10")).isNull();
    }

    @Test
    void aContinueWhoseKeyIsCoolingGoesToAnotherKeyWhichAnswersThreadNotFoundAndTheSdkReplays() {
        f.state.threads().served("key-1", "msg_cool", new StickyTable.Spot("first", "a1"));
        f.state.keys().of("first", "a1").coolUntil(f.clock.get() + 60_000);
        RequestTraits t = f.traits("claude-x", "tool result");
        RoutePlan plan = new RoutePlan(f.router().match(t), f.state, f.snapshot.get(Upstreams.PART),
                f.snapshot.config().routing().health(), t, new ThreadRequest("msg_cool"), f.state.threads().get("key-1", "msg_cool"));
        Attempt a = RouteFixture.attempt(f.exchange(), plan, plan.first(), f.snapshot.get(Upstreams.PART));
        assertThat(a.target().upstream()).isEqualTo("first");
        assertThat(a.upstreamKeyAlias()).isEqualTo("a2");
    }

    @Test
    void theThreadFieldIsReadStrictlyAndBounded() throws Exception {
        assertThat(ThreadRequest.parse(json("{\"type\":\"create\"}")).continues()).isFalse();
        assertThat(ThreadRequest.parse(json("{\"type\":\"continue\",\"previous_message_id\":\"msg_1\"}")).previousMessageId())
                .isEqualTo("msg_1");
        assertThatThrownBy(() -> ThreadRequest.parse(json("{\"type\":\"fork\"}")))
                .isInstanceOf(ApiError.class).hasMessageContaining("thread.type");
        assertThatThrownBy(() -> ThreadRequest.parse(json("{\"type\":\"continue\"}")))
                .isInstanceOf(ApiError.class).hasMessageContaining("previous_message_id");
        String longId = "m".repeat(ThreadRequest.MAX_ID_CHARS + 1);
        assertThatThrownBy(() -> ThreadRequest.parse(json("{\"type\":\"continue\",\"previous_message_id\":\"" + longId + "\"}")))
                .isInstanceOf(ApiError.class).hasMessageContaining("257 characters");
    }

    @Test
    void answerIdsComeFromTheTopLevelOrMessageStartAndAreBounded() {
        byte[] whole = "{\"content\":[{\"id\":\"toolu_1\",\"type\":\"tool_use\"}],\"id\":\"msg_9\",\"type\":\"message\"}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(AnswerId.ofMessage(whole, 0, whole.length)).isEqualTo("msg_9");
        byte[] start = "{\"type\":\"message_start\",\"message\":{\"usage\":{},\"id\":\"msg_7\"}}".getBytes(StandardCharsets.UTF_8);
        assertThat(AnswerId.ofMessageStart(start, 0, start.length)).isEqualTo("msg_7");
        byte[] tooLong = ("{\"id\":\"" + "x".repeat(ThreadRequest.MAX_ID_CHARS + 1) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(AnswerId.ofMessage(tooLong, 0, tooLong.length)).isNull();
        byte[] broken = "{\"id\":".getBytes(StandardCharsets.UTF_8);
        assertThat(AnswerId.ofMessage(broken, 0, broken.length)).isNull();
    }

    private static JsonNode json(String s) throws Exception {
        return Json.MAPPER.readTree(s);
    }
}
