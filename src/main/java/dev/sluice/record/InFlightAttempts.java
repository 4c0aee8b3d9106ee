package dev.sluice.record;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes "one record per upstream attempt" hold across a gateway crash. Before an attempt is sent,
 * its identity (a ledger record without results) is written into a free slot of a memory-mapped
 * file, {@code inflight.slots}; once its real record is in the ledger, the slot is freed. On start,
 * every slot still in use belongs to an attempt the previous process never finished: it is written
 * to the ledger with error type {@code gateway_restart} and its usage flagged as estimated (the
 * upstream's answer died with the process, but the attempt is accounted for and visible). If the
 * real record did reach the journal first, the ledger's idempotency on (request id, attempt) keeps it.
 *
 * <p>As a streamed answer reports usage, {@link #update} rewrites the slot with the usage so far, so a
 * crash bills at least what the upstream had reported (input and cache tokens from
 * {@code message_start}), not zero.
 *
 * <p>Why a mapped file: a store into a shared mapping is in the kernel's page cache the moment it
 * is made, so a {@code kill -9} loses nothing, yet it costs no system call (two appends per request
 * to a log file cost two). Slot layout: one state byte (0 = free, 1 = half A current, 2 = half B
 * current), then two halves, each a four-byte length and the record's journal encoding. An update
 * writes the half not in use and then flips the state byte, so a slot torn by a crash still holds
 * its previous whole record; a new slot's state byte is written last, so a torn one reads as free.
 * More attempts in flight than slots are not tracked (logged once): the gateway keeps serving.
 */
public final class InFlightAttempts implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InFlightAttempts.class);
    static final int SLOT_BYTES = 4096;
    private static final int HALF = (SLOT_BYTES - 1) / 2;
    private static final int MAX_RECORD = HALF - 4;
    static final int SLOTS = 8192;
    private static final byte FREE = 0;
    private static final byte HALF_A = 1;
    private static final byte HALF_B = 2;

    private final MappedByteBuffer map;
    private final Map<String, Integer> slotOf = new ConcurrentHashMap<>();
    private final int[] free = new int[SLOTS];
    private final AtomicBoolean overflowLogged = new AtomicBoolean();
    private int freeCount;

    private InFlightAttempts(MappedByteBuffer map) {
        this.map = map;
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
            Files.createDirectories(dataDir);
            // A slot file of the first version (2 KB slots, one record each): read once, then gone.
            Path old = dataDir.resolve("inflight.slots");
            if (Files.exists(old)) {
                try (FileChannel ch = FileChannel.open(old, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    report(recover(ch, 2048, ledger, price));
                }
                Files.delete(old);
            }
            Path file = dataDir.resolve("inflight-v2.slots");
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                // Recovered through the channel, not the mapping: a scan through the mapping would fault every page of
                // the file into this process (32 MB resident for good); this way only the slots in use are.
                report(recover(ch, SLOT_BYTES, ledger, price));
                MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, (long) SLOT_BYTES * SLOTS);
                return new InFlightAttempts(map);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the in-flight slots in " + dataDir, e);
        }
    }

    private static void report(int recovered) {
        if (recovered > 0) {
            LOG.warn("{} upstream attempt(s) were in flight when the gateway last stopped; recorded as gateway_restart", recovered);
        }
    }

    private static int recover(FileChannel ch, int slotBytes, Ledger ledger, Pricer price) throws IOException {
        int found = 0;
        int half = (slotBytes - 1) / 2;
        java.nio.ByteBuffer slotBuf = java.nio.ByteBuffer.allocate(slotBytes);
        java.nio.ByteBuffer free = java.nio.ByteBuffer.allocate(1);
        long size = ch.size();
        for (long at = 0; at + slotBytes <= size; at += slotBytes) {
            slotBuf.clear();
            while (slotBuf.hasRemaining() && ch.read(slotBuf, at + slotBuf.position()) > 0) {
                // a positional read may return fewer bytes; read on until the slot is whole
            }
            byte state = slotBuf.get(0);
            if (state != HALF_A && state != HALF_B) {
                continue;
            }
            int from = 1 + (state == HALF_A ? 0 : half);
            int len = slotBuf.getInt(from);
            if (len > 0 && len <= slotBytes - 5) {
                byte[] json = new byte[len];
                slotBuf.get(from + 4, json);
                try {
                    ledger.append(asRestart(JournalCodec.decode(json, 0, len), price));
                    found++;
                } catch (RuntimeException e) {
                    LOG.warn("unreadable in-flight slot {} skipped: {}", at / slotBytes, e.getMessage());
                }
            }
            free.clear();
            free.put(0, FREE);
            ch.write(free, at);
        }
        return found;
    }

    /** Prices what a cut-off attempt had reported, at the start after a crash. */
    @FunctionalInterface
    public interface Pricer {
        /** The attempt's cost in nano-USD and the provider cache savings: {@code [cost, savings]}. */
        long[] price(String model, dev.sluice.wire.Usage usage);
    }

    private static LedgerRecord asRestart(LedgerRecord r, Pricer price) {
        long[] cost = r.usage().totalTokens() == 0 || r.servedModel() == null ? new long[] {0, 0} : price.price(r.servedModel(), r.usage());
        return new LedgerRecord(r.requestId(), r.attempt(), r.time(), r.keyId(), r.keyAlias(), r.userId(), r.teamId(),
                r.orgId(), r.tags(), r.sessionId(), r.client(), r.endpoint(), r.requestedModel(), r.servedModel(),
                r.provider(), r.upstreamKeyAlias(), 0, "gateway_restart", r.usage(), true, cost[0], cost[1], 0, r.cacheStatus(),
                0, -1, 0, r.stream(), r.guardVerdict());
    }

    /** Notes an attempt about to be sent. */
    public void begin(LedgerRecord skeleton) {
        byte[] json = encode(skeleton);
        if (json == null) {
            return;
        }
        int slot = take();
        if (slot < 0) {
            if (overflowLogged.compareAndSet(false, true)) {
                LOG.warn("more than {} upstream attempts in flight: the excess is not protected against a crash", SLOTS);
            }
            return;
        }
        int at = slot * SLOT_BYTES;
        map.putInt(at + 1, json.length);
        map.put(at + 5, json);
        map.put(at, HALF_A);
        slotOf.put(key(skeleton.requestId(), skeleton.attempt()), slot);
    }

    /** Rewrites an attempt's slot with what is known now (usage so far); a torn rewrite leaves the previous record. */
    public void update(LedgerRecord now) {
        Integer slot = slotOf.get(key(now.requestId(), now.attempt()));
        byte[] json = slot == null ? null : encode(now);
        if (json == null) {
            return;
        }
        int at = slot * SLOT_BYTES;
        boolean toB = map.get(at) == HALF_A;
        int half = at + 1 + (toB ? HALF : 0);
        map.putInt(half, json.length);
        map.put(half + 4, json);
        map.put(at, toB ? HALF_B : HALF_A);
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
        Integer slot = slotOf.remove(key(requestId, attempt));
        if (slot != null) {
            map.put(slot * SLOT_BYTES, FREE);
            give(slot);
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

    @Override
    public void close() {
        // Nothing to flush: the mapping is the kernel's page cache. Slots still in use stay for the next start.
    }
}
