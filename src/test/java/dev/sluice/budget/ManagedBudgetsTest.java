package dev.sluice.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.budget.rules.BudgetConfigException;
import dev.sluice.budget.rules.BudgetRules;
import dev.sluice.budget.rules.BudgetSet;
import dev.sluice.budget.rules.Hierarchy;
import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Admin-set budgets in the database, as two replicas on one database see them, merged over the configuration. */
class ManagedBudgetsTest {
    private static final String SECTION = """
            alerts: {sinks: [{name: ops, kind: webhook, url: "http://127.0.0.1:9/hook"}]}
            list:
              - {name: pay, level: team, id: payments, usd: 100}
              - {name: acme, level: org, id: acme, usd: 1000}
            """;

    @Test
    void aChangeOnOneReplicaReachesTheOtherAndReplacesTheConfiguredBudgetByName(@TempDir Path dir) {
        try (Database db = Database.open(StoreSettings.sqlite(dir));
             ManagedBudgets one = ManagedBudgets.open(db.dataSource(), false);
             ManagedBudgets two = ManagedBudgets.open(db.dataSource(), false)) {
            ManagedBudgets.View before = two.view();
            one.put("pay", "{\"name\":\"pay\",\"level\":\"team\",\"id\":\"payments\",\"usd\":250,\"owner\":{\"sinks\":[\"ops\"]}}", "ops-ana",
                    Instant.parse("2026-11-20T10:00:00Z"));
            one.put("ana", "{\"name\":\"ana\",\"level\":\"user\",\"id\":\"ana\",\"usd\":20}", "ops-ana", Instant.parse("2026-11-20T10:00:01Z"));
            two.refresh(); // what its poll does every few seconds
            assertThat(two.view()).isNotSameAs(before);
            assertThat(two.view().entries()).containsOnlyKeys("ana", "pay");
            assertThat(two.view().entries().get("pay").updatedBy()).isEqualTo("ops-ana");
            ManagedBudgets.View same = two.view();
            two.refresh();
            assertThat(two.view()).as("nothing changed: same view, no recompile").isSameAs(same);

            BudgetSet set = EffectiveBudgets.compile(BudgetRules.parse("t", SECTION),
                    two.view().entries().values().stream().map(ManagedBudgets.Entry::config).toList(), Hierarchy.UNKNOWN);
            assertThat(set.rules()).extracting(r -> r.name()).containsExactly("pay", "acme", "ana");
            assertThat(set.rule("pay").limits().getFirst().amount()).isEqualTo(250_000_000_000L);

            assertThat(one.remove("pay")).isTrue();
            assertThat(one.remove("pay")).isFalse();
            two.refresh();
            assertThat(two.view().entries()).containsOnlyKeys("ana");
        }
    }

    @Test
    void aStoredBudgetThatNoLongerFitsIsLeftOutAloneNotWithEveryOther(@TempDir Path dir) {
        // round 23: a reload that removed the sink one admin budget names left every admin budget out (the others fell
        // back to the file's, or vanished), and every later change through the API was refused until someone found it
        try (Database db = Database.open(StoreSettings.sqlite(dir));
             ManagedBudgets managed = ManagedBudgets.open(db.dataSource(), false)) {
            managed.put("pay", "{\"name\":\"pay\",\"level\":\"team\",\"id\":\"payments\",\"usd\":250,\"owner\":{\"sinks\":[\"ops\"]}}",
                    "ops-ana", Instant.parse("2026-11-20T10:00:00Z"));
            managed.put("ana", "{\"name\":\"ana\",\"level\":\"user\",\"id\":\"ana\",\"usd\":20}", "ops-ana",
                    Instant.parse("2026-11-20T10:00:01Z"));
            EffectiveBudgets effective = new EffectiveBudgets(null, managed);
            BudgetSet withSink = effective.rules(BudgetsPart.compile("t", BudgetRules.parse("t", SECTION)));
            assertThat(withSink.rule("pay").limits().getFirst().amount()).isEqualTo(250_000_000_000L);

            String noSink = SECTION.replace("alerts: {sinks: [{name: ops, kind: webhook, url: \"http://127.0.0.1:9/hook\"}]}\n", "");
            BudgetSet reloaded = effective.rules(BudgetsPart.compile("t", BudgetRules.parse("t", noSink)));
            assertThat(reloaded.rule("pay").limits().getFirst().amount()).as("the unfit one: the file's").isEqualTo(100_000_000_000L);
            assertThat(reloaded.rule("ana")).as("the others stay in force").isNotNull();
            assertThat(reloaded.rule("ana").limits().getFirst().amount()).isEqualTo(20_000_000_000L);
        }
    }

    @Test
    void aBudgetThatNamesAnUnknownSinkIsRefusedWithItsKey() {
        assertThatThrownBy(() -> EffectiveBudgets.compile(BudgetRules.parse("t", SECTION),
                List.of(BudgetRules.parseEntry("body", "{\"name\":\"x\",\"level\":\"team\",\"id\":\"t\",\"usd\":5,\"owner\":{\"sinks\":[\"pager\"]}}")),
                Hierarchy.UNKNOWN))
                .isInstanceOf(BudgetConfigException.class).hasMessageContaining("(x).owner.sinks: 'pager' is not a sink in budgets.alerts.sinks");
        assertThatThrownBy(() -> BudgetRules.parseEntry("body", "{\"name\":\"x\",\"levle\":\"team\"}"))
                .isInstanceOf(BudgetConfigException.class).hasMessageContaining("levle");
    }
}
