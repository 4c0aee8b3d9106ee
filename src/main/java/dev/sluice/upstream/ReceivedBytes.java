package dev.sluice.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the bytes an upstream connection has received, after TLS and before the HTTP decoder, so the
 * attempt loop can tell why a request failed without a usable head:
 *
 * <ul>
 *   <li>no byte came back on a connection that had already served an answer: the upstream closed an idle
 *       keep-alive connection as the request went out (the keep-alive race), and sending it again, on a
 *       fresh connection, is safe;</li>
 *   <li>bytes came back that the decoder refused (conflicting lengths, an oversized head, a cut head): the
 *       upstream read the request and answered, so it may bill it, and it must not be sent there again.</li>
 * </ul>
 * Counted after TLS because a TLS server closing an idle connection sends a close alert, which is not an answer.
 */
final class ReceivedBytes extends ChannelInboundHandlerAdapter {
    private static final String NAME = "sluice-received-bytes";
    private static final AttributeKey<ReceivedBytes> KEY = AttributeKey.valueOf(NAME);
    private static final Logger LOG = LoggerFactory.getLogger(ReceivedBytes.class);

    /**
     * Written on the connection's event loop, read by the attempt loop (the same loop as a rule; volatile so the rule
     * is not what a retry decision rests on). One writer, so the increment needs no atomic.
     */
    private volatile long count;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes) {
            count += bytes.readableBytes();
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * Puts a counter on a new HTTP/1 connection (the upstream clients' connect handler), and takes the connection's
     * own failures: without a handler Vert.x logs each at ERROR with no upstream named (an upstream answering
     * something that is not HTTP did so on every attempt and every health check), while the attempt it breaks is
     * already failed and logged, upstream named, by the attempt loop.
     */
    static void install(HttpConnection conn) {
        conn.exceptionHandler(e -> LOG.debug("upstream connection to {}: {}", conn.remoteAddress(), e.toString()));
        if (conn instanceof ConnectionBase base && base.channel().pipeline().get("codec") != null) {
            ReceivedBytes counter = new ReceivedBytes();
            base.channel().pipeline().addBefore("codec", NAME, counter);
            base.channel().attr(KEY).set(counter);
        }
    }

    /** Bytes received so far on {@code conn}, or -1 when it has no counter. */
    static long of(HttpConnection conn) {
        if (conn instanceof ConnectionBase base) {
            ReceivedBytes counter = base.channel().attr(KEY).get();
            return counter == null ? -1 : counter.count;
        }
        return -1;
    }
}
