package dev.sluice.batches;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.pipeline.Identity;
import dev.sluice.store.Database;
import dev.sluice.store.PostgresForTests;
import dev.sluice.store.StoreSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The batch store on both databases the gateway runs on, migrated by Flyway as at start: who owns a batch, a caller's
 * list paged newest first in both directions, and the sweeper's queue of batches still owed to the ledger.
 */
class BatchStoreTest {
    private static final Identity ANN = new Identity("key-ann", "ann's key", "ann", "team-a", "org-1", Map.of("repo", "payments"));
    private static final Identity BOB = new Identity("key-bob", "bob's key", "bob", "team-b", "org-1", Map.of());

    @ParameterizedTest
    @ValueSource(strings = {StoreSettings.SQLITE, StoreSettings.POSTGRES})
    void remembersOwnersPagesAndWhatIsStillOwed(String kind, @TempDir Path dir) throws Exception {
        StoreSettings settings = kind.equals(StoreSettings.SQLITE) ? StoreSettings.sqlite(dir) : PostgresForTests.freshDatabase(dir);
        try (Database db = Database.open(settings)) {
            BatchStore store = new BatchStore(db.dataSource());
            for (int i = 1; i <= 5; i++) {
                store.insert(new BatchRow("msgbatch_ann_" + i, "anthropic", "primary", ANN, 1000L * i, 0, null, 0, 1));
            }
            store.insert(new BatchRow("msgbatch_bob_1", "anthropic", "second", BOB, 6000, 0, null, 0, 1));

            BatchRow one = store.find("msgbatch_ann_1");
            assertThat(one.owner()).isEqualTo(ANN);
            assertThat(one.ownedBy(ANN)).isTrue();
            assertThat(one.ownedBy(BOB)).isFalse();
            assertThat(one.billed()).isFalse();

            BatchStore.Page newest = store.page("key-ann", null, null, 2);
            assertThat(ids(newest)).containsExactly("msgbatch_ann_5", "msgbatch_ann_4");
            assertThat(newest.hasMore()).isTrue();
            BatchStore.Page older = store.page("key-ann", null, "msgbatch_ann_4", 2);
            assertThat(ids(older)).containsExactly("msgbatch_ann_3", "msgbatch_ann_2");
            BatchStore.Page newer = store.page("key-ann", "msgbatch_ann_2", null, 2);
            assertThat(ids(newer)).containsExactly("msgbatch_ann_4", "msgbatch_ann_3");
            assertThat(newer.hasMore()).isTrue();
            assertThat(store.page("key-ann", null, "msgbatch_bob_1", 2)).as("another key's cursor is unknown").isNull();

            store.billed("msgbatch_ann_1", 9000);
            store.checked("msgbatch_ann_2", 9000);
            store.deleted("msgbatch_ann_5");
            assertThat(store.find("msgbatch_ann_1").billedMs()).isEqualTo(9000);
            assertThat(store.find("msgbatch_ann_5")).isNull();
            assertThat(store.unbilled(5000, 10)).extracting(BatchRow::id)
                    .containsExactlyInAnyOrder("msgbatch_ann_3", "msgbatch_ann_4", "msgbatch_ann_5", "msgbatch_bob_1");
        }
    }

    private static List<String> ids(BatchStore.Page page) {
        return page.rows().stream().map(BatchRow::id).toList();
    }
}
