package dev.sluice.front;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes connections that hold a slot without using it, the two ways a client can:
 * <ol>
 *   <li>idle: a kept-alive connection with no request on it for {@code idleMillis};</li>
 *   <li>slow headers: a request whose first byte arrived but whose head is not complete after
 *       {@code headerMillis} (slowloris).</li>
 * </ol>
 * While a request is being served the guard is quiet: the body timeout and the upstream timeouts
 * bound that time. It sits first in the connection's Netty pipeline, so it sees raw bytes, and runs
 * on the connection's event loop; the front tells it when a request's head is complete and when
 * its response has ended.
 *
 * <p>HTTP/2 ({@link #http2}) multiplexes requests, so there the guard follows the connection's streams instead:
 * idle is no stream open for {@code idleMillis}, whatever frames (pings, settings) arrive meanwhile, and a
 * connection that opens no stream at all is closed after {@code headerMillis}. Without this an HTTP/2 connection
 * lived as long as its client liked once it had made one request (attack round 14).
 *
 * <p>During a graceful stop ({@link Drain}) an idle connection is closed at once and a busy one as soon
 * as its response has ended, after the bytes already written have left.
 */
final class ConnectionGuard extends ChannelDuplexHandler {
    static final String NAME = "sluice-guard";
    static final AttributeKey<ConnectionGuard> KEY = AttributeKey.valueOf("sluice-connection-guard");

    private final long idleMillis;
    private final long headerMillis;
    private final FrontStats stats;
    private final Drain drain;
    /** This event loop's idle connections, which a new connection may replace at the bound; null: not listed. */
    private final IdleConnections idle;
    private ChannelHandlerContext ctx;
    /**
     * The one scheduled check, and when it runs ({@link System#nanoTime}). Arming only moves {@link #deadline}; the
     * check, when it runs before the deadline, schedules itself again for the rest. Every request disarms the guard and
     * arms it twice, so a schedule and a cancel each time cost the event loop more than the whole guard is worth.
     */
    private ScheduledFuture<?> timer;
    private long timerAt;
    /** When the connection is closed, or {@link #DISARMED}; why. */
    private long deadline = DISARMED;
    private FrontStats.Close reason;
    private boolean serving;
    private boolean readingHead;
    private boolean draining;
    /** The HTTP/2 connection whose streams the guard follows, or null for HTTP/1. */
    private Http2Connection http2;

    /**
     * {@code stats} null: the connection's close is counted already (one refused past {@code server.max-connections}).
     * {@code idle} null: the connection is never taken for another (the refused ones close within a second anyway).
     */
    ConnectionGuard(long idleMillis, long headerMillis, FrontStats stats, Drain drain, IdleConnections idle) {
        this.idle = idle;
        this.idleMillis = idleMillis;
        this.headerMillis = headerMillis;
        this.stats = stats;
        this.drain = drain;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        ctx.channel().attr(KEY).set(this);
        drain.watch(this);
        arm(idleMillis, FrontStats.Close.IDLE);
        if (idle != null) {
            idle.opened(this);
        }
        // Opened during the drain: kept for the one request it was opened for (refused with a retryable 503), then closed.
        draining = drain.draining();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (http2 == null && !serving && !readingHead) {
            readingHead = true;
            unlist();
            arm(headerMillis, FrontStats.Close.HEADER_TIMEOUT);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        stopTimer();
        unlist();
        drain.forget(this);
        super.channelInactive(ctx);
    }

    /** A request's head is complete: the request is now the pipeline's to time. */
    void requestStarted() {
        serving = true;
        readingHead = false;
        cancel();
    }

    /** The response has ended: the connection is idle again until the next request's first byte. */
    void responseEnded() {
        serving = false;
        readingHead = false;
        if (draining) {
            closeAfterWrites();
        } else if (ctx.channel().isActive()) {
            arm(idleMillis, FrontStats.Close.IDLE);
            if (idle != null) {
                idle.idle(this);
            }
        }
    }

    /**
     * Closes this idle connection to make room for a new one ({@link IdleConnections}); on the connection's event loop,
     * with no request on it, so nothing is cut.
     */
    void evict() {
        cancel();
        if (stats != null) {
            stats.countClose(FrontStats.Close.EVICTED);
        }
        if (http2 != null) {
            ctx.channel().close(); // through the pipeline: the client gets a GOAWAY
        } else {
            ctx.close();
        }
    }

    private void unlist() {
        if (idle != null) {
            idle.busy(this);
        }
    }

    /**
     * The connection speaks HTTP/2: from now on its streams, not its bytes, say whether it is in use. Until its
     * first stream opens it has {@code headerMillis} (as a slow first request head would); each time its last
     * open stream closes, {@code idleMillis}. On the connection's event loop.
     */
    void http2(Http2Connection connection) {
        http2 = connection;
        readingHead = false;
        connection.addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamActive(Http2Stream stream) {
                serving = true;
                cancel();
                unlist();
            }

            @Override
            public void onStreamClosed(Http2Stream stream) {
                if (connection.numActiveStreams() == 0) {
                    responseEnded();
                }
            }
        });
        serving = connection.numActiveStreams() > 0;
        if (serving) {
            cancel();
            unlist();
        } else {
            arm(headerMillis, FrontStats.Close.HEADER_TIMEOUT);
        }
    }

    /** The gateway is stopping: an idle connection closes now, a busy one when its response has ended. Any thread. */
    void drain() {
        ctx.executor().execute(() -> {
            draining = true;
            if (!serving && !readingHead) {
                cancel();
                closeAfterWrites();
            }
        });
    }

    /**
     * Closes once what was written has left: a plain close would drop a slow client's unsent tail. HTTP/2 closes
     * through the whole pipeline, so the client gets a GOAWAY (and TLS its close_notify) and knows no stream was lost.
     */
    private void closeAfterWrites() {
        if (!ctx.channel().isActive()) {
            return;
        }
        if (http2 != null) {
            ctx.channel().close();
        } else {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static final long DISARMED = Long.MAX_VALUE;

    private void arm(long millis, FrontStats.Close why) {
        long now = System.nanoTime();
        deadline = now + TimeUnit.MILLISECONDS.toNanos(millis);
        reason = why;
        if (timer == null || timerAt - deadline > 0) {
            // No check pending, or the pending one runs too late for this deadline: one that runs at it.
            stopTimer();
            schedule(deadline - now);
        }
    }

    /** Disarms: the pending check, if any, finds nothing to do when it runs (or is re-used by the next arm). */
    private void cancel() {
        deadline = DISARMED;
    }

    private void schedule(long delayNanos) {
        timerAt = System.nanoTime() + delayNanos;
        timer = ctx.executor().schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        timer = null;
        if (deadline == DISARMED) {
            return;
        }
        long rest = deadline - System.nanoTime();
        if (rest > 0) {
            schedule(rest); // re-armed since this check was scheduled: wait out the rest
            return;
        }
        deadline = DISARMED;
        if (ctx.channel().isActive()) {
            if (stats != null) {
                stats.countClose(reason);
            }
            if (http2 != null) {
                ctx.channel().close();
            } else {
                ctx.close();
            }
        }
    }

    private void stopTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
