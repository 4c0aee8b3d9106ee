/**
 * The ledger: one durable record per upstream attempt, and spend reports over them.
 *
 * <h2>Why a journal in front of the database</h2>
 * Spend that is silently lost is the failure users of other gateways report most, and per-request database
 * writes are what collapses their spend stores under load. So the request path never waits for the
 * database, yet nothing it hands over can be lost:
 * <ol>
 *   <li>{@link dev.sluice.record.Ledger#append} writes the record as one checksummed line to an append-only
 *       journal file in the data directory, then offers it to a bounded in-memory queue and returns. The
 *       write lands in the OS page cache: once it returns, a process crash ({@code kill -9}, OOM kill)
 *       cannot lose the record, and the cost is one {@code write(2)}, not an fsync.</li>
 *   <li>A sync thread fsyncs the journal every {@code syncInterval} (25 ms) while it holds bytes that are
 *       neither synced nor committed. A host crash (power loss, kernel panic) can therefore lose at most the
 *       last ~25 ms of records — the only window we accept, and the reason not to fsync per record. The cadence is
 *       {@code store.journal-sync}: each fsync costs ~0.1 ms of kernel time however little it writes, so 100 ms
 *       halves the sync thread's CPU for a four times larger power-loss window.</li>
 *   <li>One writer thread takes batches (up to 500) and inserts them in one transaction with
 *       {@code INSERT ... ON CONFLICT (request_id, attempt) DO NOTHING}. Idempotency makes every replay safe:
 *       a record committed just before a crash and replayed after it is simply ignored.</li>
 *   <li>Once a batch commits, journal segments wholly before it are deleted; the live segment rotates at
 *       4 MiB (or at 256 KiB when the writer has caught up), so a healthy journal stays a few MiB.
 *       SQLite runs with {@code synchronous=FULL} so a committed batch survives a power cut, which is what
 *       makes deleting its journal lines safe.</li>
 *   <li>On start, segments left by an earlier run are replayed before anything else; their last minute of records is
 *       also handed to the budget counters once ({@link dev.sluice.record.JournaledLedger#takeLastRunsRecent}), for the
 *       spend a killed run had not yet sent to Redis.</li>
 * </ol>
 *
 * <h2>Back-pressure by spilling</h2>
 * The journal is the source of truth; the queue is only a cache that saves re-reading it. When the queue
 * is full (the database is slow or down), new records go to the journal only and the writer later reads
 * them back from its committed position, in order. Memory stays bounded by the queue capacity plus one
 * batch; the journal grows on disk instead, visible in {@link dev.sluice.record.LedgerStats}. Nothing is
 * dropped: if the journal itself cannot be written (disk full), the record is held in memory
 * ({@link dev.sluice.record.HeldLines}, bounded by bytes) and journaled, in order, as soon as a write succeeds (the
 * next append, or the writer's retry every few milliseconds), so freeing space loses nothing; only past that bound
 * does {@code append} throw and {@code dropped} count it, so a loss is loud, never silent. A record the database refuses as invalid
 * data is set aside in {@code rejected.jnl} and logged, so one bad record cannot stall the writer.
 *
 * <h2>Reports</h2>
 * {@link dev.sluice.record.SpendReports} groups committed records by any dimension and period and exports
 * chargeback CSV; money is summed as integer nano-USD, exactly The writer keeps an exact daily rollup
 * ({@code spend_daily}) in the same transaction as each batch, so a 30-day report reads a few thousand rollup rows
 * instead of every attempt: see {@link dev.sluice.record.RollupDeltas} for why distinct request counts stay exact,
 * {@link dev.sluice.record.RollupTable} for the replay gate and {@link dev.sluice.record.RollupQuery} for cut days.
 */
package dev.sluice.record;
