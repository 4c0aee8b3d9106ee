package dev.sluice.front;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes HTTP/1 connections that hold a slot without using it, the two ways a client can:
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
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private boolean serving;
    private boolean readingHead;
    private boolean draining;

    ConnectionGuard(long idleMillis, long headerMillis, FrontStats stats, Drain drain) {
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
        // Opened during the drain: kept for the one request it was opened for (refused with a retryable 503), then closed.
        draining = drain.draining();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!serving && !readingHead) {
            readingHead = true;
            arm(headerMillis, FrontStats.Close.HEADER_TIMEOUT);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
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

    /** Closes once what was written has left: a plain close would drop a slow client's unsent tail. */
    private void closeAfterWrites() {
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Stops guarding this connection (it became HTTP/2) and leaves its pipeline. */
    void retire() {
        cancel();
        drain.forget(this);
        ctx.channel().attr(KEY).set(null);
        if (ctx.pipeline().get(NAME) == this) {
            ctx.pipeline().remove(this);
        }
    }

    private void arm(long millis, FrontStats.Close reason) {
        cancel();
        timer = ctx.executor().schedule(() -> {
            if (ctx.channel().isActive()) {
                stats.countClose(reason);
                ctx.close();
            }
        }, millis, TimeUnit.MILLISECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
