package db.migration.sqlite;

import dev.sluice.record.RollupBackfill;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/** Fills the daily spend rollup (V11) from the ledger already written; see {@link RollupBackfill}. */
public final class V12__spend_daily_backfill extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        RollupBackfill.run(context.getConnection(), false);
    }
}
