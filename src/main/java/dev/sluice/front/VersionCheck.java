package dev.sluice.front;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Marks a request head whose version the front does not speak ({@code HTTP/2.0} in an HTTP/1 request line,
 * {@code FOO/1.1}) as undecodable, so it reaches the front's invalid-request handler and gets the 505 envelope with a
 * request id; left alone, the HTTP layer answers it itself with a bodiless 501. Sits right after the HTTP decoder.
 */
final class VersionCheck extends ChannelInboundHandlerAdapter {
    static final String NAME = "sluice-version-check";

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req && req.decoderResult().isSuccess()
                && !HttpVersion.HTTP_1_1.equals(req.protocolVersion()) && !HttpVersion.HTTP_1_0.equals(req.protocolVersion())) {
            req.setDecoderResult(DecoderResult.failure(new UnsupportedVersion(req.protocolVersion().text())));
            // The answer's status line is written in the request's version: "HTTP/3.0 505" would claim to speak it.
            req.setProtocolVersion(HttpVersion.HTTP_1_1);
        }
        ctx.fireChannelRead(msg);
    }

    /** The cause the invalid-request handler reads. */
    static final class UnsupportedVersion extends RuntimeException {
        UnsupportedVersion(String version) {
            super("unsupported HTTP version " + version, null, false, false);
        }
    }
}
