package dev.sluice.front;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;

/**
 * A second floor under the gateway's CPU per request: Netty's own HTTP codecs relaying a request with nothing else,
 * no Vert.x. {@link BareVertxProxy} measures what Vert.x's HTTP layer costs; this measures what a front written
 * directly on Netty's codecs could cost, which says whether replacing that layer would buy what the issue asks.
 * Each client connection gets its own keep-alive upstream connection on the same event loop (no hand-off between
 * threads), the body aggregated without copying (a composite of the read buffers) and written on as it is.
 *
 * <p>Usage: {@code BareNettyProxy LISTEN_PORT UPSTREAM_PORT [EVENT_LOOPS]} (a benchmark tool, not a test).
 */
public final class BareNettyProxy {
    private static final int MAX_BODY = 32 * 1024 * 1024;

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        int upstream = Integer.parseInt(args[1]);
        int loops = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(loops, NioIoHandler.newFactory());
        new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY),
                                new Front(upstream));
                    }
                }).bind("127.0.0.1", port).sync();
        System.out.println("bare netty proxy on " + port + " -> " + upstream);
    }

    /** One client connection: relays each whole request to its own upstream connection, one at a time. */
    private static final class Front extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final int upstream;
        private Channel back;

        Front(int upstream) {
            this.upstream = upstream;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            FullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, req.method(), req.uri(),
                    req.content().retain());
            out.headers().set(req.headers()).remove(HttpHeaderNames.CONNECTION)
                    .set(HttpHeaderNames.HOST, "127.0.0.1:" + upstream);
            if (back != null && back.isActive()) {
                back.writeAndFlush(out);
                return;
            }
            new Bootstrap().group(ctx.channel().eventLoop()).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_BODY),
                                    new Back(ctx.channel()));
                        }
                    }).connect("127.0.0.1", upstream).addListener(f -> {
                        if (f.isSuccess()) {
                            back = ((io.netty.channel.ChannelFuture) f).channel();
                            back.writeAndFlush(out);
                        } else {
                            out.release();
                            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                    HttpResponseStatus.BAD_GATEWAY));
                        }
                    });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (back != null) {
                back.close();
            }
        }
    }

    /** The upstream side of one client connection: writes each whole answer back to the client. */
    private static final class Back extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final Channel front;

        Back(Channel front) {
            this.front = front;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse resp) {
            FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, resp.status(),
                    resp.content().retain());
            out.headers().set(resp.headers()).remove(HttpHeaderNames.CONNECTION)
                    .remove(HttpHeaderNames.TRANSFER_ENCODING)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, out.content().readableBytes());
            front.writeAndFlush(out);
        }
    }
}
