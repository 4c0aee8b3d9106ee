package dev.sluice.record;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes "one record per upstream attempt" hold across a gateway crash. Before an attempt is sent, a
 * {@code B} line with the attempt's identity (a ledger record without results) is written to
 * {@code inflight.log}; after its real record is in the ledger, an {@code E} line closes it. On start,
 * every attempt begun and never ended is written to the ledger with error type
 * {@code gateway_restart} and its usage flagged as estimated: the upstream's answer died with the
 * process, but the attempt is accounted for and visible. If the real record did reach the journal
 * first, the ledger's idempotency on (request id, attempt) keeps it and drops the stand-in.
 *
 * <p>Writes are plain appends (page cache, no fsync), like the ledger journal: a process crash loses
 * nothing. The file is rewritten with just the open attempts once it has grown past a few MB.
 */
public final class InFlightAttempts implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InFlightAttempts.class);
    private static final long COMPACT_BYTES = 8L << 20;

    private final Path file;
    private final Map<String, byte[]> open = new ConcurrentHashMap<>();
    private OutputStream out;
    private long written;

    private InFlightAttempts(Path file) throws IOException {
        this.file = file;
        this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        this.written = Files.size(file);
    }

    /** Opens the log in {@code dataDir}, first turning attempts a previous run left open into ledger records. */
    public static InFlightAttempts open(Path dataDir, Ledger ledger) {
        Path file = dataDir.resolve("inflight.log");
        try {
            Files.createDirectories(dataDir);
            int recovered = recover(file, ledger);
            if (recovered > 0) {
                LOG.warn("{} upstream attempt(s) were in flight when the gateway last stopped; recorded as gateway_restart", recovered);
            }
            Files.deleteIfExists(file);
            return new InFlightAttempts(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
    }

    private static int recover(Path file, Ledger ledger) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        Map<String, LedgerRecord> begun = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("B ")) {
                    byte[] json = line.substring(2).getBytes(StandardCharsets.UTF_8);
                    try {
                        LedgerRecord r = JournalCodec.decode(json, 0, json.length);
                        begun.put(key(r.requestId(), r.attempt()), r);
                    } catch (RuntimeException e) {
                        // A torn last line from the crash itself: nothing was sent for it yet.
                    }
                } else if (line.startsWith("E ")) {
                    begun.remove(line.substring(2));
                }
            }
        }
        for (LedgerRecord r : begun.values()) {
            ledger.append(asRestart(r));
        }
        return begun.size();
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
        String key = key(skeleton.requestId(), skeleton.attempt());
        open.put(key, json);
        byte[] line = new byte[json.length + 3];
        line[0] = 'B';
        line[1] = ' ';
        System.arraycopy(json, 0, line, 2, json.length);
        line[line.length - 1] = '\n';
        write(line);
    }

    /** Notes that the attempt's real record has been handed to the ledger. */
    public void end(String requestId, int attempt) {
        String key = key(requestId, attempt);
        if (open.remove(key) != null) {
            write(("E " + key + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private synchronized void write(byte[] line) {
        try {
            out.write(line);
            written += line.length;
            if (written > COMPACT_BYTES) {
                compact();
            }
        } catch (IOException e) {
            LOG.error("cannot write {}: attempts in flight at a crash would go unrecorded", file, e);
        }
    }

    /** Rewrites the log with only the attempts still open (under the write lock). */
    private void compact() throws IOException {
        Path tmp = file.resolveSibling("inflight.log.tmp");
        try (OutputStream o = Files.newOutputStream(tmp)) {
            for (byte[] json : open.values()) {
                o.write('B');
                o.write(' ');
                o.write(json);
                o.write('\n');
            }
        }
        out.close();
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        out = Files.newOutputStream(file, StandardOpenOption.APPEND);
        written = Files.size(file);
    }

    private static String key(String requestId, int attempt) {
        return requestId + " " + attempt;
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
            if (open.isEmpty()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.warn("closing {}: {}", file, e.toString());
        }
    }
}
