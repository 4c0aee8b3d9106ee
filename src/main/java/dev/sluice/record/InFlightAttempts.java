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
 * <p>Why a mapped file: a store into a shared mapping is in the kernel's page cache the moment it
 * is made, so a {@code kill -9} loses nothing, yet it costs no system call (two appends per request
 * to a log file cost two). Slot layout: one state byte (1 = in flight), a four-byte length, the
 * record's journal encoding. The state byte is written last, so a slot torn by a crash reads as free.
 * More attempts in flight than slots are not tracked (logged once): the gateway keeps serving.
 */
public final class InFlightAttempts implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InFlightAttempts.class);
    static final int SLOT_BYTES = 2048;
    static final int SLOTS = 8192;
    private static final byte FREE = 0;
    private static final byte USED = 1;

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

    /** Opens the slots in {@code dataDir}, first turning attempts a previous run left open into ledger records. */
    public static InFlightAttempts open(Path dataDir, Ledger ledger) {
        Path file = dataDir.resolve("inflight.slots");
        try {
            Files.createDirectories(dataDir);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, (long) SLOT_BYTES * SLOTS);
                int recovered = recover(map, ledger);
                if (recovered > 0) {
                    LOG.warn("{} upstream attempt(s) were in flight when the gateway last stopped; recorded as gateway_restart", recovered);
                }
                return new InFlightAttempts(map);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
    }

    private static int recover(MappedByteBuffer map, Ledger ledger) {
        int found = 0;
        for (int slot = 0; slot < SLOTS; slot++) {
            int at = slot * SLOT_BYTES;
            if (map.get(at) != USED) {
                continue;
            }
            int len = map.getInt(at + 1);
            if (len > 0 && len <= SLOT_BYTES - 5) {
                byte[] json = new byte[len];
                map.get(at + 5, json);
                try {
                    ledger.append(asRestart(JournalCodec.decode(json, 0, len)));
                    found++;
                } catch (RuntimeException e) {
                    LOG.warn("unreadable in-flight slot {} skipped: {}", slot, e.getMessage());
                }
            }
            map.put(at, FREE);
        }
        return found;
    }

    private static LedgerRecord asRestart(LedgerRecord r) {
        return new LedgerRecord(r.requestId(), r.attempt(), r.time(), r.keyId(), r.keyAlias(), r.userId(), r.teamId(),
                r.orgId(), r.tags(), r.sessionId(), r.client(), r.endpoint(), r.requestedModel(), r.servedModel(),
                r.provider(), r.upstreamKeyAlias(), 0, "gateway_restart", r.usage(), true, 0, 0, 0, r.cacheStatus(),
                0, -1, 0, r.stream());
    }

    /** Notes an attempt about to be sent. */
    public void begin(LedgerRecord skeleton) {
        byte[] json = JournalCodec.encode(skeleton);
        if (json.length > SLOT_BYTES - 5) {
            // Only very long tags or client strings get here; the attempt's accounting needs none of them.
            json = JournalCodec.encode(withoutExtras(skeleton));
            if (json.length > SLOT_BYTES - 5) {
                return;
            }
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
        map.put(at, USED);
        slotOf.put(key(skeleton.requestId(), skeleton.attempt()), slot);
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
                r.cacheStatus(), r.latencyMs(), r.ttfbMs(), r.gatewayMs(), r.stream());
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
