package dev.sluice.budget.alert;

import dev.sluice.budget.engine.Crossing;
import dev.sluice.budget.engine.CrossingListener;
import dev.sluice.budget.forecast.Forecast;
import dev.sluice.budget.forecast.Forecaster;
import dev.sluice.budget.rules.Threshold;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes crossings from the engine (returns at once), and on its own worker threads builds each alert's payload and
 * delivers it to the budget's sinks, retrying a failed sink with backoff up to {@code retries} times.
 */
public final class AlertDispatcher implements CrossingListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AlertDispatcher.class);

    private volatile Map<String, AlertSink> sinks;
    private final HistorySource history;
    private final ZoneId zone;
    private final int retries;
    private final Duration backoff;
    private final BlockingQueue<Crossing> queue;
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean running = true;

    public AlertDispatcher(Map<String, AlertSink> sinks, HistorySource history, ZoneId zone, int queueSize, int retries, Duration backoff,
                           int threads) {
        this.sinks = Map.copyOf(sinks);
        this.history = history;
        this.zone = zone;
        this.retries = retries;
        this.backoff = backoff;
        this.queue = new ArrayBlockingQueue<>(queueSize);
        for (int i = 0; i < threads; i++) {
            Thread t = Thread.ofPlatform().daemon().name("sluice-alerts-" + i).start(this::work);
            workers.add(t);
        }
    }

    /** Replaces the sinks (a reload changed them); alerts already queued go to the new ones. */
    public void sinks(Map<String, AlertSink> next) {
        this.sinks = Map.copyOf(next);
    }

    @Override
    public void crossed(Crossing c) {
        if (!queue.offer(c)) {
            dropped.incrementAndGet();
            log.error("budget alert dropped (queue of {} full): {} passed {}% for {}", queue.size(), c.rule().name(),
                    c.threshold().percent(), c.entity());
        }
    }

    public long sent() {
        return sent.get();
    }

    public long failed() {
        return failed.get();
    }

    public long dropped() {
        return dropped.get();
    }

    private void work() {
        while (running) {
            Crossing c;
            try {
                c = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (c == null) {
                continue;
            }
            try {
                deliver(c, payload(c));
            } catch (RuntimeException e) {
                failed.incrementAndGet();
                log.error("budget alert for {} could not be built: {}", c.rule().name(), e.toString());
            }
        }
    }

    /** The alert, with the projection from the ledger's daily history. */
    AlertPayload payload(Crossing c) {
        ZonedDateTime now = c.at().atZone(zone);
        LocalDate today = now.toLocalDate();
        Map<LocalDate, Long> daily = history.daily(c.rule(), c.entity(), c.metric(), today.minusDays(Forecaster.HISTORY_DAYS), today);
        double elapsed = (now.toLocalTime().toSecondOfDay()) / 86_400.0;
        LocalDate end = c.window().end().atZone(zone).toLocalDate();
        if (!c.window().end().atZone(zone).toLocalTime().equals(java.time.LocalTime.MIDNIGHT)) {
            end = end.plusDays(1);
        }
        double scale = c.metric().money() ? 1e9 : 1;
        Forecast f = Forecaster.project(daily, c.settled(), today, elapsed, end);
        Threshold next = null;
        for (Threshold t : c.rule().thresholds()) {
            if (t.percent() > c.threshold().percent()) {
                next = t;
                break;
            }
        }
        return new AlertPayload(c.rule().name(), c.rule().describe(c.entity()), c.metric().money() ? "usd" : c.metric().label(),
                c.amount() / scale, c.settled() / scale, c.percent(), c.threshold().percent(), c.threshold().action().label(),
                next == null ? 0 : next.percent(), next == null ? null : next.action().label(), c.window().start(), c.window().end(),
                f.projected() / scale, f.low() / scale, f.high() / scale, f.trend(), c.rule().owner().contact(), c.at());
    }

    private void deliver(Crossing c, AlertPayload p) {
        Map<String, AlertSink> now = sinks;
        boolean heard = c.rule().owner().sinks().stream().anyMatch(now::containsKey);
        // Every crossing is a log line, so one whose budget names no working sink still reaches someone.
        if (heard) {
            log.info("budget '{}' passed {}% ({}) for {}: {} {} spent of {}", p.budget(), p.thresholdPercent(), p.action(),
                    p.scope(), p.spent(), p.unit(), p.amount());
        } else {
            log.warn("budget '{}' passed {}% ({}) for {}: {} {} spent of {}; no alert sink receives this budget's alerts,"
                    + " so this line is the only notice", p.budget(), p.thresholdPercent(), p.action(), p.scope(), p.spent(),
                    p.unit(), p.amount());
        }
        for (String name : c.rule().owner().sinks()) {
            AlertSink sink = now.get(name);
            if (sink == null) {
                continue;
            }
            for (int attempt = 0; ; attempt++) {
                try {
                    sink.send(p);
                    sent.incrementAndGet();
                    break;
                } catch (Exception e) {
                    if (attempt >= retries || !running) {
                        failed.incrementAndGet();
                        log.error("budget alert to sink '{}' failed after {} attempts: {}", name, attempt + 1, e.toString());
                        break;
                    }
                    try {
                        Thread.sleep(backoff.toMillis() << Math.min(attempt, 6));
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /** Waits briefly for queued alerts, then stops the workers. */
    @Override
    public void close() {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!queue.isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        running = false;
        workers.forEach(Thread::interrupt);
    }
}
