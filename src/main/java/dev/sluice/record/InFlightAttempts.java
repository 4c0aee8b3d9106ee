package dev.sluice.record;

import dev.sluice.store.DataDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes "one record per upstream attempt" hold across a gateway crash. Before an attempt is sent,
 * its identity (a ledger record without results) is written into a free slot of a memory-mapped
 * file, {@code inflight-v3.slots}; once its real record is in the ledger, the slot is freed. On start,
 * every slot still in use belongs to an attempt the previous process never finished: it is written
 * to the ledger with error type {@code gateway_restart} and its usage flagged as estimated (the
 * upstream's answer died with the process, but the attempt is accounted for and visible). If the
 * real record did reach the journal first, the ledger's idempotency on (request id, attempt) keeps it.
 *
 * <p>As a streamed answer reports usage, {@link #update} rewrites the slot with the usage so far, so a
 * crash bills at least what the upstream had reported (input and cache tokens from
 * {@code message_start}), not zero. Between those reports only the output grows, and a crash must bill at
 * least the output already relayed to the client: {@link #relayed} counts each relayed delta and its payload
 * bytes into two fixed fields of the slot (two stores, no encoding), and the recovery bills the larger of the
 * reported output and {@link RelayedOutput}'s estimate of those counts.
 *
 * <p>Why a mapped file: a store into a shared mapping is in the kernel's page cache the moment it
 * is made, so a {@code kill -9} loses nothing, yet it costs no system call (two appends per request
 * to a log file cost two). Slot layout ({@link SlotLayout#V3}): one state byte (0 = free, 1 = half A
 * current, 2 = half B current), the relayed payload bytes and deltas (two longs at 8 and 16), then two
 * halves, each a four-byte length and the record's journal encoding. An update writes the half not in
 * use and then flips the state byte, so a slot torn by a crash still holds its previous whole record; a
 * new slot's counts and record are written before its state byte, so a torn one reads as free.
 * More attempts in flight than slots are not tracked (logged once): the gateway keeps serving.
 */
public final class InFlightAttempts implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InFlightAttempts.class);
    private static final SlotLayout LAYOUT = SlotLayout.V3;
    static final int SLOT_BYTES = LAYOUT.slotBytes();
    private static final int MAX_RECORD = LAYOUT.maxRecord();
    static final int SLOTS = 8192;
    private static final byte FREE = 0;
    private static final byte HALF_A = 1;
    private static final byte HALF_B = 2;
    private static final long FAULT_LOG_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final MappedByteBuffer map;
    private final Ledger ledger;
    /** Slots {@link #endHeld} keeps until the ledger's journal takes what it holds; guarded by this. */
    private final int[] parked = new int[SLOTS];
    private volatile int parkedCount;
    private final Map<String, Progress> slotOf = new ConcurrentHashMap<>();
    private final int[] free = new int[SLOTS];
    private final AtomicBoolean overflowLogged = new AtomicBoolean();
    private final AtomicLong lastFaultLog = new AtomicLong();
    private final Path file;
    private final List<LedgerRecord> recovered;
    private int freeCount;

    private InFlightAttempts(Path file, MappedByteBuffer map, Ledger ledger, List<LedgerRecord> recovered) {
        this.file = file;
        this.ledger = ledger;
        this.map = map;
        this.recovered = recovered;
        for (int i = 0; i < SLOTS; i++) {
            free[i] = SLOTS - 1 - i;
        }
        freeCount = SLOTS;
    }

    /**
     * Opens the slots in {@code dataDir}, first turning attempts a previous run left open into ledger
     * records priced by {@code price} (the usage they had reported, at the model's price).
     */
    public static InFlightAttempts open(Path dataDir, Ledger ledger, Pricer price) {
        try {
            DataDir.create(dataDir);
            List<LedgerRecord> found = new ArrayList<>();
            // Slot files of earlier versions (v1: 2 KB slots; v2: no relayed counts): read once, then gone.
            for (SlotLayout old : List.of(SlotLayout.V1, SlotLayout.V2)) {
                Path file = dataDir.resolve(old.fileName());
                if (Files.exists(file)) {
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                        recover(ch, old, ledger, price, found);
                    }
                    Files.delete(file);
                }
            }
            Path file = dataDir.resolve(LAYOUT.fileName());
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                // Recovered through the channel, not the mapping: a scan through the mapping would fault every page of
                // the file into this process (32 MB resident for good); this way only the slots in use are.
                recover(ch, LAYOUT, ledger, price, found);
                if (!found.isEmpty()) {
                    LOG.warn("{} upstream attempt(s) were in flight when the gateway last stopped; recorded as gateway_restart",
                            found.size());
                }
                MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, (long) SLOT_BYTES * SLOTS);
                return new InFlightAttempts(file, map, ledger, found);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the in-flight slots in " + dataDir, e);
        }
    }

    /**
     * The {@code gateway_restart} records this start wrote to the ledger, handed over once (then empty): the audit
     * log is built after the slots are read, so whoever builds it writes a line for each of these.
     */
    public synchronized List<LedgerRecord> takeRecovered() {
        List<LedgerRecord> taken = List.copyOf(recovered);
        recovered.clear();
        return taken;
    }

    private static void recover(FileChannel ch, SlotLayout layout, Ledger ledger, Pricer price, List<LedgerRecord> found)
            throws IOException {
        int slotBytes = layout.slotBytes();
        java.nio.ByteBuffer slotBuf = java.nio.ByteBuffer.allocate(slotBytes);
        java.nio.ByteBuffer free = java.nio.ByteBuffer.allocate(1);
        long size = ch.size();
        for (long at = 0; at + slotBytes <= size; at += slotBytes) {
            slotBuf.clear();
            while (slotBuf.hasRemaining() && ch.read(slotBuf, at + slotBuf.position()) > 0) {
                // a positional read may return fewer bytes; read on until the slot is whole
            }
            byte state = slotBuf.get(0);
            if (state != HALF_A && (state != HALF_B || layout.halves() == 1)) {
                continue;
            }
            int from = layout.header() + (state == HALF_A ? 0 : layout.half());
            int len = slotBuf.getInt(from);
            if (len > 0 && len <= layout.maxRecord()) {
                byte[] json = new byte[len];
                slotBuf.get(from + 4, json);
                try {
                    RelayedOutput relayed = layout.counted()
                            ? new RelayedOutput(slotBuf.getLong(SlotLayout.BYTES_AT), slotBuf.getLong(SlotLayout.DELTAS_AT))
                            : RelayedOutput.NONE;
                    LedgerRecord restart = asRestart(JournalCodec.decode(json, 0, len), relayed, price);
                    ledger.append(restart);
                    found.add(restart);
                } catch (RuntimeException e) {
                    LOG.warn("unreadable in-flight slot {} skipped: {}", at / slotBytes, e.getMessage());
                }
            }
            free.clear();
            free.put(0, FREE);
            ch.write(free, at);
        }
    }

    /** Prices what a cut-off attempt had reported, at the start after a crash. */
    @FunctionalInterface
    public interface Pricer {
        /**
         * The attempt's cost in nano-USD and the provider cache savings, and 1 when the model was not in the price
         * table (its default applied): {@code [cost, savings, defaultPriced]}.
         */
        long[] price(String model, dev.sluice.wire.Usage usage);
    }

    /** The slot's last record as billed after a crash: at least the output it had relayed, priced, flagged estimated. */
    static LedgerRecord asRestart(LedgerRecord r, RelayedOutput relayed, Pricer price) {
        dev.sluice.wire.Usage usage = relayed.atLeastRelayed(r.usage(), r.usageEstimated());
        long[] cost = usage.totalTokens() == 0 || r.servedModel() == null ? new long[] {0, 0} : price.price(r.servedModel(), usage);
        return new LedgerRecord(r.requestId(), r.attempt(), r.time(), r.keyId(), r.keyAlias(), r.userId(), r.teamId(),
                r.orgId(), r.tags(), r.sessionId(), r.client(), r.endpoint(), r.requestedModel(), r.servedModel(),
                r.provider(), r.upstreamKeyAlias(), 0, "gateway_restart", usage, true, cost[0], cost[1], 0, r.cacheStatus(),
                0, -1, 0, r.stream(), 0, 0, r.guardVerdict(), cost.length > 2 && cost[2] != 0);
    }

    /**
     * Notes an attempt about to be sent. Returns the handle its relayed output is counted through ({@link #relayed}),
     * or null when the attempt is not tracked (its record does not fit a slot, or every slot is taken).
     */
    public Progress begin(LedgerRecord skeleton) {
        freeParkedIfJournaled();
        byte[] json = encode(skeleton);
        if (json == null) {
            return null;
        }
        int slot = take();
        if (slot < 0) {
            if (overflowLogged.compareAndSet(false, true)) {
                LOG.warn("more than {} upstream attempts in flight: the excess is not protected against a crash", SLOTS);
            }
            return null;
        }
        int at = slot * SLOT_BYTES;
        try {
            map.putLong(at + SlotLayout.BYTES_AT, 0);
            map.putLong(at + SlotLayout.DELTAS_AT, 0);
            map.putInt(at + LAYOUT.header(), json.length);
            map.put(at + LAYOUT.header() + 4, json);
            map.put(at, HALF_A);
        } catch (InternalError e) {
            unbacked(e);
            give(slot); // its state byte never became in-use; the next attempt may find the page backed again
            return null;
        }
        Progress p = new Progress(slot);
        slotOf.put(key(skeleton.requestId(), skeleton.attempt()), p);
        return p;
    }

    /** Rewrites an attempt's slot with what is known now (usage so far); a torn rewrite leaves the previous record. */
    public void update(LedgerRecord now) {
        Progress p = slotOf.get(key(now.requestId(), now.attempt()));
        byte[] json = p == null ? null : encode(now);
        if (json != null) {
            rewrite(p.slot, json);
        }
    }

    /**
     * Notes that the attempt's real record was handed to the ledger, which holds it in memory because its journal
     * cannot be written (a full disk: {@link Ledger#holding()}). The slot keeps the final record instead of being
     * freed, so a crash before the journal takes it still records the attempt at the next start (as
     * {@code gateway_restart}, billed on this record's usage; if the real record did reach the journal, the ledger's
     * idempotency keeps that one). Slots kept so are freed once the ledger holds nothing.
     */
    public void endHeld(LedgerRecord last) {
        Progress p = slotOf.remove(key(last.requestId(), last.attempt()));
        if (p == null) {
            return;
        }
        p.ended = true;
        byte[] json = encode(last);
        if (json != null) {
            rewrite(p.slot, json);
        }
        synchronized (this) {
            parked[parkedCount++] = p.slot;
        }
    }

    /** Frees the slots {@link #endHeld} kept once the ledger's journal has taken every record it held. */
    private void freeParkedIfJournaled() {
        if (parkedCount == 0 || ledger.holding()) {
            return;
        }
        synchronized (this) {
            for (int i = 0; i < parkedCount; i++) {
                try {
                    map.put(parked[i] * SLOT_BYTES, FREE);
                } catch (InternalError e) {
                    unbacked(e);
                }
                free[freeCount++] = parked[i];
            }
            parkedCount = 0;
        }
    }

    /** Writes {@code json} into the slot's half not in use, then flips its state byte to it. */
    private void rewrite(int slot, byte[] json) {
        int at = slot * SLOT_BYTES;
        try {
            boolean toB = map.get(at) == HALF_A;
            int half = at + LAYOUT.header() + (toB ? LAYOUT.half() : 0);
            map.putInt(half, json.length);
            map.put(half + 4, json);
            map.put(at, toB ? HALF_B : HALF_A);
        } catch (InternalError e) {
            unbacked(e); // the state byte was not flipped: the slot keeps its previous record
        }
    }

    /**
     * Counts one output delta relayed toward the client ({@code payloadBytes}: its text, thinking or tool-input string)
     * into the attempt's slot. On the hot path, once per delta: two stores into the mapping, no encoding, no system
     * call. Called from the attempt's own event loop, like {@link #end}, so an ended attempt's slot, which may already
     * serve another attempt, is never written.
     */
    public void relayed(Progress p, int payloadBytes) {
        if (p == null || p.ended || payloadBytes <= 0) {
            return; // an empty delta (a tool call's first, empty input) carries no output
        }
        p.bytes += payloadBytes;
        p.deltas++;
        int at = p.slot * SLOT_BYTES;
        try {
            map.putLong(at + SlotLayout.BYTES_AT, p.bytes);
            map.putLong(at + SlotLayout.DELTAS_AT, p.deltas);
        } catch (InternalError e) {
            unbacked(e);
        }
    }

    /** The record's encoding if it fits a half slot (long tags and client strings are dropped first), else null. */
    private static byte[] encode(LedgerRecord r) {
        byte[] json = JournalCodec.encode(r);
        if (json.length > MAX_RECORD) {
            // Only very long tags or client strings get here; the attempt's accounting needs none of them.
            json = JournalCodec.encode(withoutExtras(r));
        }
        return json.length > MAX_RECORD ? null : json;
    }

    /** Notes that the attempt's real record has been handed to the ledger. */
    public void end(String requestId, int attempt) {
        Progress p = slotOf.remove(key(requestId, attempt));
        if (p != null) {
            p.ended = true;
            try {
                map.put(p.slot * SLOT_BYTES, FREE);
            } catch (InternalError e) {
                unbacked(e);
            }
            give(p.slot);
        }
    }

    /**
     * A store into the mapping faulted (the JVM turns the SIGBUS into an InternalError): the page has no disk behind it,
     * because the file system is full (the file is sparse: a slot's page gets its block when first written) or the file
     * was cut short by someone else. The attempt goes on untracked, as when every slot is taken, rather than failing
     * the request with a 500 of ours; said once per minute at most.
     */
    private void unbacked(InternalError e) {
        long now = System.nanoTime();
        long last = lastFaultLog.get();
        if ((last == 0 || now - last >= FAULT_LOG_NANOS) && lastFaultLog.compareAndSet(last, now)) {
            LOG.error("in-flight slots {}: a write into the mapped file failed ({}): the disk under the data dir is full "
                    + "or the file was truncated; attempts are not protected against a crash until it is writable again",
                    file, e.getMessage());
        }
    }

    /** Attempts currently in flight. */
    public int inFlight() {
        return slotOf.size();
    }

    private synchronized int take() {
        return freeCount == 0 ? -1 : free[--freeCount];
    }

    private synchronized void give(int slot) {
        free[freeCount++] = slot;
    }

    private static LedgerRecord withoutExtras(LedgerRecord r) {
        return new LedgerRecord(r.requestId(), r.attempt(), r.time(), r.keyId(), r.keyAlias(), r.userId(), r.teamId(),
                r.orgId(), Map.of(), trim(r.sessionId()), trim(r.client()), r.endpoint(), trim(r.requestedModel()),
                trim(r.servedModel()), r.provider(), r.upstreamKeyAlias(), r.status(), r.errorType(), r.usage(),
                r.usageEstimated(), r.costNanoUsd(), r.providerCacheSavingsNanoUsd(), r.gatewayCacheSavingsNanoUsd(),
                r.cacheStatus(), r.latencyMs(), r.ttfbMs(), r.gatewayMs(), r.stream(), trim(r.guardVerdict()));
    }

    private static String trim(String s) {
        return s == null || s.length() <= 128 ? s : s.substring(0, 128);
    }

    private static String key(String requestId, int attempt) {
        return requestId + "#" + attempt;
    }

    /** One tracked attempt's slot and what it has relayed so far; owned by the attempt's event loop. */
    public static final class Progress {
        private final int slot;
        private long bytes;
        private long deltas;
        private volatile boolean ended;

        private Progress(int slot) {
            this.slot = slot;
        }
    }

    @Override
    public void close() {
        // Nothing to flush: the mapping is the kernel's page cache. Slots still in use stay for the next start.
    }
}
