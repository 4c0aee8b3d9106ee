package dev.sluice.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * HTTP/2 over TLS frame by frame, for what an HTTP/2 client library hides: a stream left open mid-body, which frames
 * the server sends (a {@code RST_STREAM}, a {@code GOAWAY}, its windows), and whether it closed the connection.
 * Trusts any certificate (the gateway's self-signed one); HPACK is Netty's.
 */
public final class RawH2 implements AutoCloseable {
    public static final int DATA = 0;
    public static final int HEADERS = 1;
    public static final int RST_STREAM = 3;
    public static final int SETTINGS = 4;
    public static final int GOAWAY = 7;
    public static final int WINDOW_UPDATE = 8;
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    /** One frame as read: its type, flags, stream and payload; {@code headers} decoded for a HEADERS frame. */
    public record Frame(int type, int flags, int stream, byte[] payload, Http2Headers headers) {
        public boolean endStream() {
            return (flags & 0x1) != 0;
        }

        /** The 32-bit value at {@code offset} of the payload (a RST_STREAM's or GOAWAY's code, a window increment). */
        public long int32(int offset) {
            return ((payload[offset] & 0xffL) << 24 | (payload[offset + 1] & 0xffL) << 16 | (payload[offset + 2] & 0xffL) << 8
                    | (payload[offset + 3] & 0xffL)) & 0x7fffffffL;
        }
    }

    private final SSLSocket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
    private int nextStream = 1;

    private RawH2(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects, negotiates h2 by ALPN and sends the preface with empty settings. */
    public static RawH2 connect(int port) throws Exception {
        return connect(port, -1);
    }

    /** As {@link #connect(int)}, announcing {@code initialWindow} as every stream's window when it is not negative. */
    public static RawH2 connect(int port, int initialWindow) throws Exception {
        SSLSocket s = (SSLSocket) TrustAll.context().getSocketFactory().createSocket("127.0.0.1", port);
        SSLParameters params = s.getSSLParameters();
        params.setApplicationProtocols(new String[] {"h2"});
        s.setSSLParameters(params);
        s.setSoTimeout(10_000);
        s.startHandshake();
        if (!"h2".equals(s.getApplicationProtocol())) {
            throw new IOException("ALPN chose " + s.getApplicationProtocol() + " (expected: h2)");
        }
        RawH2 h = new RawH2(s);
        h.out.write(PREFACE);
        h.frame(SETTINGS, 0, 0, initialWindow < 0 ? new byte[0] : new byte[] {0, 0x4, (byte) (initialWindow >>> 24),
                (byte) (initialWindow >>> 16), (byte) (initialWindow >>> 8), (byte) initialWindow}); // SETTINGS_INITIAL_WINDOW_SIZE
        return h;
    }

    /** Sends a request's HEADERS (method, path, then {@code headers}) without ending the stream; returns its id. */
    public int headers(String method, String path, Map<String, String> headers) throws IOException {
        Http2Headers h = new DefaultHttp2Headers().method(method).path(path).scheme("https").authority("localhost");
        headers.forEach(h::add);
        ByteBuf block = Unpooled.buffer();
        try {
            encoder.encodeHeaders(nextStream, h, block);
        } catch (Http2Exception e) {
            throw new IOException(e);
        }
        byte[] bytes = new byte[block.readableBytes()];
        block.readBytes(bytes);
        int id = nextStream;
        nextStream += 2;
        frame(HEADERS, 0x4, id, bytes); // END_HEADERS
        return id;
    }

    public void data(int stream, byte[] bytes, boolean end) throws IOException {
        frame(DATA, end ? 0x1 : 0, stream, bytes);
    }

    /** The next frame, or null when the server closed the connection (or it is reset); throws on a read timeout. */
    public Frame read(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        try {
            int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int stream = in.readInt() & 0x7fffffff;
            byte[] payload = new byte[length];
            in.readFully(payload);
            Http2Headers decoded = null;
            if (type == HEADERS) {
                int from = (flags & 0x8) != 0 ? 1 : 0; // PADDED: the pad length first
                int pad = from == 1 ? payload[0] & 0xff : 0;
                from += (flags & 0x20) != 0 ? 5 : 0; // PRIORITY: dependency and weight
                decoded = decoder.decodeHeaders(stream, Unpooled.wrappedBuffer(payload, from, payload.length - from - pad));
            } else if (type == SETTINGS && (flags & 0x1) == 0) {
                frame(SETTINGS, 0x1, 0, new byte[0]); // ACK
            }
            return new Frame(type, flags, stream, payload, decoded);
        } catch (EOFException | javax.net.ssl.SSLException | java.net.SocketException e) {
            return null;
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (Http2Exception e) {
            throw new IOException(e);
        }
    }

    private void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        byte[] head = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length, (byte) type,
                (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream};
        out.write(head);
        out.write(payload);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
