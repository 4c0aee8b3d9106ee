package dev.sluice.front.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipeline.Bounded;
import dev.sluice.pipeline.Identity;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The store of answers' items: kept per caller, for a while, within its entry and byte bounds. */
class ItemStoreTest {
    private final AtomicLong now = new AtomicLong(1_000);

    private ItemStore store(Duration age, int entries, long bytes) {
        return new ItemStore(new ItemStore.Bounds(age, entries, bytes, ItemStore.Bounds.DEFAULTS.maxItemBytes()), now::get);
    }

    @Test
    void anItemIsFoundByItsOwnerOnlyAndAnotherCallersIdIsLikeAnUnknownOne() {
        ItemStore s = store(Duration.ofHours(1), 10, 1 << 20);
        assertThat(s.put("key:a", "msg_1", "{\"id\":\"msg_1\"}")).isTrue();
        assertThat(s.get("key:a", "msg_1")).isEqualTo("{\"id\":\"msg_1\"}");
        assertThat(s.get("key:b", "msg_1")).isNull();
        assertThat(s.get("key:a", "msg_2")).isNull();
        assertThat(s.get(null, "msg_1")).isNull();
        // The same id from another caller is its own item: neither sees the other's.
        s.put("key:b", "msg_1", "{\"id\":\"msg_1\",\"b\":1}");
        assertThat(s.get("key:a", "msg_1")).isEqualTo("{\"id\":\"msg_1\"}");
        assertThat(s.get("key:b", "msg_1")).isEqualTo("{\"id\":\"msg_1\",\"b\":1}");
    }

    @Test
    void theOwnerIsTheCallersKeyAndNoCallerOwnsNothing() {
        Identity user = new Identity("k1", "alias", "u1", "t1", "o1", Map.of());
        assertThat(ItemStore.owner(user)).isEqualTo("key:k1");
        assertThat(ItemStore.owner(null)).isNull();
        ItemStore s = store(Duration.ofHours(1), 10, 1 << 20);
        assertThat(s.put(null, "msg_1", "{}")).isFalse();
        assertThat(s.size()).isZero();
    }

    @Test
    void anItemExpiresAtItsAgeOnTheInjectedClock() {
        ItemStore s = store(Duration.ofSeconds(60), 10, 1 << 20);
        s.put("key:a", "msg_1", "{}");
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        s.put("key:a", "msg_2", "{}");
        now.addAndGet(Duration.ofSeconds(30).toNanos() - 1);
        assertThat(s.get("key:a", "msg_1")).isEqualTo("{}");
        now.incrementAndGet();
        assertThat(s.get("key:a", "msg_1")).isNull();
        assertThat(s.get("key:a", "msg_2")).isEqualTo("{}");
        assertThat(s.size()).isEqualTo(1);
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(s.size()).isZero();
        assertThat(s.bytes()).isZero();
    }

    @Test
    void theOldestGoFirstPastTheEntryBound() {
        ItemStore s = store(Duration.ofHours(1), 3, 1 << 20);
        for (int i = 1; i <= 5; i++) {
            s.put("key:a", "msg_" + i, "{}");
        }
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.get("key:a", "msg_2")).isNull();
        assertThat(s.get("key:a", "msg_3")).isNotNull();
        // Stored again, an item is new: it goes to the end of the line.
        assertThat(s.put("key:a", "msg_3", "{}")).isTrue();
        s.put("key:a", "msg_6", "{}");
        assertThat(s.get("key:a", "msg_4")).isNull();
        assertThat(s.get("key:a", "msg_3")).isEqualTo("{}");
    }

    @Test
    void anIdTwoDifferentItemsCameUnderResolvesToNeitherUntilItAgesOut() {
        ItemStore s = store(Duration.ofSeconds(60), 10, 1 << 20);
        s.put("key:a", "msg_7_0", "{\"text\":\"first answer\"}");
        assertThat(s.put("key:a", "msg_7_0", "{\"text\":\"another answer\"}")).isFalse();
        assertThat(s.get("key:a", "msg_7_0")).isNull();
        assertThat(s.put("key:a", "msg_7_0", "{\"text\":\"first answer\"}")).isFalse();
        assertThat(s.get("key:a", "msg_7_0")).isNull();
        assertThat(s.bytes()).isEqualTo(ItemStore.OVERHEAD + 2L * ("key:a".length() + "msg_7_0".length()));
        now.addAndGet(Duration.ofSeconds(60).toNanos());
        assertThat(s.put("key:a", "msg_7_0", "{\"text\":\"a third\"}")).isTrue();
        assertThat(s.get("key:a", "msg_7_0")).isEqualTo("{\"text\":\"a third\"}");
    }

    @Test
    void theOldestGoFirstPastTheByteBoundAndTheCountMatchesWhatIsHeld() {
        String json = "x".repeat(1000);
        long one = ItemStore.OVERHEAD + 2L * ("key:a".length() + "msg_1".length()) + json.length();
        ItemStore s = store(Duration.ofHours(1), 100, 3 * one);
        for (int i = 1; i <= 5; i++) {
            s.put("key:a", "msg_" + i, json);
        }
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.bytes()).isEqualTo(3 * one);
        assertThat(s.get("key:a", "msg_2")).isNull();
        assertThat(s.get("key:a", "msg_5")).isEqualTo(json);
        s.put("key:a", "msg_5", json); // replaced, not counted twice
        assertThat(s.bytes()).isEqualTo(3 * one);
    }

    @Test
    void aCallerOverItsShareOfAFullStoreGivesUpItsOwnOldestItemsNotAnyoneElses() {
        ItemStore s = store(Duration.ofHours(1), 8, 1 << 20);
        s.put("key:quiet", "msg_q1", "{}");
        s.put("key:quiet", "msg_q2", "{}");
        for (int i = 0; i < 20; i++) {
            s.put("key:busy", "msg_b" + i, "{}");
        }
        assertThat(s.size()).isEqualTo(8);
        assertThat(s.get("key:quiet", "msg_q1")).as("older than every busy item, still kept").isEqualTo("{}");
        assertThat(s.get("key:quiet", "msg_q2")).isEqualTo("{}");
        assertThat(s.get("key:busy", "msg_b13")).isNull();
        assertThat(s.get("key:busy", "msg_b14")).isEqualTo("{}");
        assertThat(s.get("key:busy", "msg_b19")).isEqualTo("{}");
        // A caller within its share (a quarter of the bound) still pushes out the oldest of all, as the store must.
        ItemStore shared = store(Duration.ofHours(1), 8, 1 << 20);
        for (int i = 0; i < 8; i++) {
            shared.put("key:" + i, "msg_" + i, "{}");
        }
        shared.put("key:new", "msg_new", "{}");
        assertThat(shared.get("key:0", "msg_0")).isNull();
        assertThat(shared.get("key:new", "msg_new")).isEqualTo("{}");
        assertThat(shared.ownerBytes("key:0")).isZero();
        assertThat(shared.ownerBytes("key:new")).isEqualTo(ItemStore.OVERHEAD + 2L * ("key:new".length() + "msg_new".length()) + 2);
    }

    @Test
    void textBeyondLatin1CountsTwoBytesACharacterAsTheHeapHoldsIt() {
        assertThat(ItemStore.heapBytes("hello")).isEqualTo(5);
        assertThat(ItemStore.heapBytes("héllo")).isEqualTo(5);
        assertThat(ItemStore.heapBytes("h€llo")).isEqualTo(10);
        ItemStore s = store(Duration.ofHours(1), 100, 1 << 20);
        s.put("key:a", "msg_1", "日本語");
        assertThat(s.bytes()).isEqualTo(ItemStore.OVERHEAD + 2L * ("key:a".length() + "msg_1".length()) + 6);
    }

    @Test
    void anItemTooLargeOrWithTooLongAnIdIsNotKept() {
        ItemStore s = store(Duration.ofHours(1), 10, 8L << 20);
        assertThat(s.put("key:a", "msg_big", "x".repeat(ItemStore.Bounds.DEFAULTS.maxItemBytes() + 1))).isFalse();
        assertThat(s.put("key:a", "m".repeat(Bounded.ID + 1), "{}")).isFalse();
        assertThat(s.put("key:a", "", "{}")).isFalse();
        assertThat(s.size()).isZero();
        assertThat(s.put("key:a", "msg_edge", "x".repeat(ItemStore.Bounds.DEFAULTS.maxItemBytes()))).isTrue();
    }

    @Test
    void boundsMustBePositive() {
        assertThatThrownBy(() -> store(Duration.ZERO, 1, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected");
        assertThatThrownBy(() -> store(Duration.ofSeconds(1), 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store(Duration.ofSeconds(1), 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ItemStore.Bounds(Duration.ofSeconds(1), 1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The defaults are the configuration's: an hour, 50,000 items, 32 MB, 1 MB an item. */
    @Test
    void theDefaultBoundsAreTheConfigurations() {
        assertThat(ItemStore.Bounds.DEFAULTS).isEqualTo(new ItemStore.Bounds(Duration.ofHours(1), 50_000, 32L << 20, 1 << 20));
        assertThat(ItemStore.PART.name()).isEqualTo("responses.item-store");
    }

    /** {@code responses.item-store.max-item-bytes} decides what is kept, not a constant. */
    @Test
    void theLargestItemKeptIsTheConfiguredOne() {
        ItemStore s = new ItemStore(new ItemStore.Bounds(Duration.ofHours(1), 10, 1 << 20, 100), now::get);
        assertThat(s.put("key:a", "msg_over", "x".repeat(101))).isFalse();
        assertThat(s.put("key:a", "msg_edge", "x".repeat(100))).isTrue();
        assertThat(s.get("key:a", "msg_edge")).hasSize(100);
    }

    /**
     * A reload's bounds apply to the store already holding items: lower ones trim it at once (oldest first), a shorter
     * age expires what is older, and the same bounds again change nothing.
     */
    @Test
    void newBoundsApplyToTheItemsAlreadyKept() {
        ItemStore s = store(Duration.ofHours(1), 10, 1 << 20);
        for (int i = 0; i < 5; i++) {
            s.put("key:a", "msg_" + i, "{}");
            now.addAndGet(Duration.ofMinutes(1).toNanos());
        }
        ItemStore.Bounds three = new ItemStore.Bounds(Duration.ofHours(1), 3, 1 << 20, 1 << 20);
        assertThat(s.bounded(three)).isSameAs(s);
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.get("key:a", "msg_1")).isNull();
        assertThat(s.get("key:a", "msg_2")).isEqualTo("{}");
        s.bounded(new ItemStore.Bounds(Duration.ofHours(1), 3, 1 << 20, 1 << 20)); // equal: nothing changes
        assertThat(s.size()).isEqualTo(3);
        s.bounded(new ItemStore.Bounds(Duration.ofSeconds(150), 3, 1 << 20, 1 << 20)); // msg_2 is 3 minutes old
        assertThat(s.get("key:a", "msg_2")).isNull();
        assertThat(s.get("key:a", "msg_3")).isEqualTo("{}");
        assertThat(s.size()).isEqualTo(2);
    }
}
