import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load for bench/open.sh: requests are due on a fixed schedule whatever the answers do, and
 * each latency counts from the moment its request was due, so a slow answer is never hidden by the
 * generator waiting for it (coordinated omission).
 *
 * <p>Why not only hey: {@code hey -c 20 -q 100} paces each connection on its own ticker, all started
 * together, so at 2,000 req/s the 20 requests leave in one burst every 10 ms and the latency it reports
 * is mostly the queue that burst makes behind a server's per-request work. Independent developers do not
 * synchronise their requests: arrivals here are evenly spaced or Poisson (exponential gaps).
 *
 * <p>Run with the single-file launcher: {@code java bench/OpenLoad.java url=http://127.0.0.1:8080/v1/messages
 * body=bench/bodies/x.json rate=2000 seconds=15 warmup=5 conns=32 arrivals=poisson header=k:v ... [csv=out.csv]}.
 * HTTP/1.1 keep-alive; answers framed by Content-Length or chunked. {@code csv=} writes one line per request in
 * hey's CSV columns (response-time, four zero phases, status, offset; seconds), so bench/run.sh reads either.
 */
public final class OpenLoad {
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};
    private static final byte[] CRLF = {'\r', '\n'};

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        List<String> headers = new ArrayList<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("expected key=value, got " + a);
            if (a.startsWith("header=")) headers.add(a.substring(eq + 1));
            else opt.put(a.substring(0, eq), a.substring(eq + 1));
        }
        URI url = URI.create(opt.get("url"));
        byte[] body = Files.readAllBytes(Path.of(opt.get("body")));
        int rate = Integer.parseInt(opt.getOrDefault("rate", "2000"));
        int seconds = Integer.parseInt(opt.getOrDefault("seconds", "15"));
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "5"));
        int conns = Integer.parseInt(opt.getOrDefault("conns", "32"));
        boolean poisson = opt.getOrDefault("arrivals", "poisson").equals("poisson");
        byte[] request = request(url, body, headers);
        String csv = opt.get("csv");

        if (warmup > 0) run(url, request, rate, warmup, conns, poisson, 7);
        Result r = run(url, request, rate, seconds, conns, poisson, 42);
        if (csv != null) writeCsv(Path.of(csv), r);
        long[] lat = r.latencies.clone();
        Arrays.sort(lat);
        long[] late = r.lateness.clone();
        Arrays.sort(late);
        System.out.printf("requests %d  ok %d  errors %d  rate %.1f/s  arrivals %s  conns %d%n", lat.length, r.ok.get(),
                r.errors.get(), lat.length / (r.wallNanos / 1e9), poisson ? "poisson" : "uniform", conns);
        System.out.printf("latency ms  p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f%n", ms(pct(lat, 50)),
                ms(pct(lat, 90)), ms(pct(lat, 99)), ms(pct(lat, 99.9)), ms(lat[lat.length - 1]));
        // How late the generator itself started requests (timer slack, its own scheduling): if this grows,
        // the generator, not the server, is the bottleneck.
        System.out.printf("start lateness ms  p50 %.3f  p99 %.3f%n", ms(pct(late, 50)), ms(pct(late, 99)));
    }

    private record Result(long[] due, long[] latencies, long[] lateness, int[] status, AtomicInteger ok,
                          AtomicInteger errors, long wallNanos) {}

    /** Plain decimal seconds (awk in run.sh reads no exponent). */
    private static StringBuilder seconds(StringBuilder b, long nanos) {
        String frac = Long.toString(1_000_000_000L + nanos % 1_000_000_000L).substring(1);
        return b.append(nanos / 1_000_000_000L).append('.').append(frac);
    }

    private static void writeCsv(Path path, Result r) throws IOException {
        StringBuilder b = new StringBuilder("response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset\n");
        for (int i = 0; i < r.latencies.length; i++) {
            seconds(b, r.latencies[i]).append(",0,0,0,0,0,").append(r.status[i]).append(',');
            seconds(b, r.due[i]).append('\n');
        }
        Files.writeString(path, b);
    }

    private static Result run(URI url, byte[] request, int rate, int seconds, int conns, boolean poisson, long seed)
            throws InterruptedException {
        int total = rate * seconds;
        long[] due = schedule(total, rate, poisson, seed);
        long[] lat = new long[total];
        long[] late = new long[total];
        int[] statuses = new int[total];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        long t0 = System.nanoTime() + 200_000_000L;
        Thread[] threads = new Thread[conns];
        for (int c = 0; c < conns; c++) {
            threads[c] = Thread.ofPlatform().start(() -> {
                Connection conn = null;
                int i;
                while ((i = next.getAndIncrement()) < total) {
                    long at = t0 + due[i];
                    for (long wait; (wait = at - System.nanoTime()) > 0; ) LockSupport.parkNanos(wait);
                    late[i] = System.nanoTime() - at;
                    try {
                        if (conn == null) conn = new Connection(url);
                        int status = conn.exchange(request);
                        statuses[i] = status;
                        (status == 200 ? ok : errors).incrementAndGet();
                    } catch (IOException e) {
                        errors.incrementAndGet();
                        if (conn != null) conn.close();
                        conn = null;
                    }
                    lat[i] = System.nanoTime() - at;
                }
                if (conn != null) conn.close();
            });
        }
        for (Thread t : threads) t.join();
        return new Result(due, lat, late, statuses, ok, errors, System.nanoTime() - t0);
    }

    /** Offsets from the start at which each request is due. */
    private static long[] schedule(int total, int rate, boolean poisson, long seed) {
        long[] due = new long[total];
        double gap = 1e9 / rate;
        SplittableRandom random = new SplittableRandom(seed);
        double t = 0;
        for (int i = 0; i < total; i++) {
            due[i] = (long) t;
            t += poisson ? -Math.log(1 - random.nextDouble()) * gap : gap;
        }
        return due;
    }

    private static byte[] request(URI url, byte[] body, List<String> headers) {
        StringBuilder h = new StringBuilder("POST ").append(url.getRawPath()).append(" HTTP/1.1\r\n")
                .append("host: ").append(url.getHost()).append(':').append(url.getPort()).append("\r\n")
                .append("content-type: application/json\r\ncontent-length: ").append(body.length).append("\r\n");
        for (String header : headers) h.append(header).append("\r\n");
        byte[] head = h.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    private static long pct(long[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** One keep-alive connection: send a request, read one Content-Length framed answer. */
    private static final class Connection {
        private final Socket socket = new Socket();
        private final InputStream in;
        private final OutputStream out;
        private byte[] buf = new byte[64 * 1024];

        Connection(URI url) throws IOException {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 2000);
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        int exchange(byte[] request) throws IOException {
            out.write(request);
            int len = 0;
            int headEnd;
            while ((headEnd = indexOf(buf, 0, len, HEAD_END)) < 0) {
                len = fill(len);
            }
            String head = new String(buf, 0, headEnd, StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(head.substring(9, 12));
            int start = headEnd + 4;
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                readChunked(start, len);
                return status;
            }
            long remaining = contentLength(head) - (len - start);
            while (remaining > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, remaining));
                if (n < 0) throw new IOException("closed mid-answer");
                remaining -= n;
            }
            return status;
        }

        /** Chunks until the last (size 0) one and its empty trailer; buf[pos, len) holds what was read past the head. */
        private void readChunked(int pos, int len) throws IOException {
            while (true) {
                int lineEnd;
                while ((lineEnd = indexOf(buf, pos, len, CRLF)) < 0) {
                    System.arraycopy(buf, pos, buf, 0, len - pos);
                    len = fill(len - pos);
                    pos = 0;
                }
                String sizeLine = new String(buf, pos, lineEnd - pos, StandardCharsets.ISO_8859_1);
                int semi = sizeLine.indexOf(';');
                long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                pos = lineEnd + 2;
                long skip = size + 2; // the chunk and its CRLF (for the last chunk: the empty trailer's CRLF)
                long have = Math.min(skip, len - pos);
                pos += (int) have;
                skip -= have;
                while (skip > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, skip));
                    if (n < 0) throw new IOException("closed mid-answer");
                    skip -= n;
                }
                if (size == 0) return;
                if (pos >= len) {
                    pos = 0;
                    len = 0;
                }
            }
        }

        private int fill(int len) throws IOException {
            if (len == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
            int n = in.read(buf, len, buf.length - len);
            if (n < 0) throw new IOException("closed before the answer's head");
            return len + n;
        }

        private static long contentLength(String head) throws IOException {
            for (String line : head.split("\r\n")) {
                if (line.regionMatches(true, 0, "content-length:", 0, 15)) return Long.parseLong(line.substring(15).trim());
            }
            throw new IOException("answer without content-length");
        }

        private static int indexOf(byte[] b, int from, int len, byte[] needle) {
            outer:
            for (int i = from; i + needle.length <= len; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (b[i + j] != needle[j]) continue outer;
                }
                return i;
            }
            return -1;
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing after an error: nothing left to do with it
            }
        }
    }
}
