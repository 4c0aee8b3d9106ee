package dev.sluice.front;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * A third floor: Vert.x's HTTP server in front, Netty's HTTP client codec behind, on the same event loop. Against
 * {@link BareVertxProxy} (Vert.x both sides) and {@link BareNettyProxy} (Netty both sides) it says which half of
 * Vert.x's HTTP layer costs what.
 *
 * <p>Usage: {@code BareHybridProxy LISTEN_PORT UPSTREAM_PORT [EVENT_LOOPS]} (a benchmark tool, not a test).
 */
public final class BareHybridProxy {
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int upstream = Integer.parseInt(args[1]);
        int loops = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
        for (int i = 0; i < loops; i++) {
            vertx.deployVerticle(() -> new io.vertx.core.VerticleBase() {
                @Override
                public io.vertx.core.Future<?> start() {
                    Pool pool = new Pool(((ContextInternal) context).nettyEventLoop(), upstream);
                    return vertx.createHttpServer().requestHandler(req -> relay(pool, req)).listen(port);
                }
            }, new io.vertx.core.DeploymentOptions()).await();
        }
        System.out.println("hybrid proxy on " + port + " -> " + upstream);
    }

    private static void relay(Pool pool, HttpServerRequest req) {
        req.body().onSuccess(body -> pool.send(req, body, resp -> {
            if (resp == null) {
                req.response().setStatusCode(502).end();
                return;
            }
            var out = req.response().setStatusCode(resp.status().code());
            for (var h : resp.headers()) {
                out.headers().add(h.getKey(), h.getValue());
            }
            out.headers().remove("connection").remove("transfer-encoding");
            out.end(BufferInternal.buffer(resp.content().retain()));
        }));
    }

    /** Idle keep-alive upstream connections of one event loop. */
    private static final class Pool {
        private final EventLoop loop;
        private final int upstream;
        private final ArrayDeque<Channel> idle = new ArrayDeque<>();

        Pool(EventLoop loop, int upstream) {
            this.loop = loop;
            this.upstream = upstream;
        }

        void send(HttpServerRequest req, Buffer body, Consumer<FullHttpResponse> done) {
            ByteBuf content = ((BufferInternal) body).getByteBuf();
            DefaultFullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
                    HttpMethod.valueOf(req.method().name()), req.uri(), content);
            for (var h : req.headers()) {
                out.headers().add(h.getKey(), h.getValue());
            }
            out.headers().remove(HttpHeaderNames.CONNECTION).set(HttpHeaderNames.HOST, "127.0.0.1:" + upstream);
            Channel ch;
            while ((ch = idle.poll()) != null && !ch.isActive()) { }
            if (ch != null) {
                ch.pipeline().get(Back.class).done = done;
                ch.writeAndFlush(out);
                return;
            }
            Back back = new Back(this);
            back.done = done;
            new Bootstrap().group(loop).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(32 << 20), back);
                        }
                    }).connect("127.0.0.1", upstream).addListener(f -> {
                        if (f.isSuccess()) {
                            ((ChannelFuture) f).channel().writeAndFlush(out);
                        } else {
                            out.release();
                            done.accept(null);
                        }
                    });
        }
    }

    private static final class Back extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final Pool pool;
        Consumer<FullHttpResponse> done;

        Back(Pool pool) {
            this.pool = pool;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse resp) {
            Consumer<FullHttpResponse> d = done;
            done = null;
            pool.idle.push(ctx.channel());
            d.accept(resp);
        }
    }
}
