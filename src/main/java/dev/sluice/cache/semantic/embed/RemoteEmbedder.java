package dev.sluice.cache.semantic.embed;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.wire.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An OpenAI-compatible {@code POST /v1/embeddings} endpoint (OpenAI, vLLM, Ollama, TEI, ...) as
 * the embedder, through a Vert.x HttpClient: non-blocking, one request per text with a timeout,
 * the answer's size and dimension checked. The input cap is counted with the shipped WordPiece
 * tokenizer, an estimate of the remote model's tokens; over it the text is not compared.
 */
public final class RemoteEmbedder implements Embedder {
    private static final int MAX_RESPONSE_BYTES = 4 << 20;

    private final HttpClient client;
    private final URI endpoint;
    private final String model;
    private final String apiKey;
    private final int dimensions;
    private final int maxTokens;
    private final Duration timeout;
    private final WordPiece counter;

    /**
     * @param endpoint   the full embeddings URL, e.g. {@code http://127.0.0.1:8000/v1/embeddings}
     * @param apiKey     sent as {@code Authorization: Bearer}; null for none
     * @param dimensions what the model returns (checked on every answer)
     */
    public RemoteEmbedder(HttpClient client, URI endpoint, String model, String apiKey, int dimensions, int maxTokens,
                          Duration timeout, WordPiece counter) {
        this.client = Objects.requireNonNull(client, "client");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
            throw new IllegalArgumentException("embeddings endpoint: " + endpoint + " (expected: an http or https URL)");
        }
        this.model = Objects.requireNonNull(model, "model");
        this.apiKey = apiKey;
        if (dimensions < 1 || dimensions > 8192) {
            throw new IllegalArgumentException("dimensions: " + dimensions + " (expected: 1..8192)");
        }
        this.dimensions = dimensions;
        this.maxTokens = maxTokens;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.counter = Objects.requireNonNull(counter, "counter");
    }

    @Override
    public String id() {
        return "remote:" + model;
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    @Override
    public int maxTokens() {
        return maxTokens;
    }

    @Override
    public CompletionStage<Optional<float[]>> embed(String text) {
        Objects.requireNonNull(text, "text");
        if (counter.encode(text, new int[maxTokens], maxTokens) < 0) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        boolean tls = "https".equals(endpoint.getScheme());
        int port = endpoint.getPort() > 0 ? endpoint.getPort() : tls ? 443 : 80;
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(endpoint.getHost()).setPort(port)
                .setSsl(tls).setURI(endpoint.getRawPath()).setTimeout(timeout.toMillis())
                .putHeader("content-type", "application/json");
        if (apiKey != null) {
            options.putHeader("authorization", "Bearer " + apiKey);
        }
        // The body is read inside send's callback: chained after it instead, from a thread that is not
        // the connection's event loop, the answer's chunks can arrive before the handler (Vert.x #4705).
        return client.request(options)
                .compose(req -> req.send(Buffer.buffer(requestBody(text))).compose(this::readBody))
                .map(body -> Optional.of(Vectors.normalize(parse(body))))
                .toCompletionStage();
    }

    private io.vertx.core.Future<Buffer> readBody(HttpClientResponse res) {
        if (res.statusCode() != 200) {
            return res.body().transform(ar -> io.vertx.core.Future.failedFuture(
                    "embeddings endpoint answered " + res.statusCode()));
        }
        String length = res.getHeader("content-length");
        if (length != null && length.length() < 12 && Long.parseLong(length) > MAX_RESPONSE_BYTES) {
            res.request().reset();
            return io.vertx.core.Future.failedFuture("embeddings answer of " + length + " bytes (expected: <= " + MAX_RESPONSE_BYTES + ")");
        }
        return res.body().compose(b -> b.length() > MAX_RESPONSE_BYTES
                ? io.vertx.core.Future.failedFuture("embeddings answer too large") : io.vertx.core.Future.succeededFuture(b));
    }

    private byte[] requestBody(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 64);
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("model", model);
            g.writeStringField("input", text);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Reads {@code data[0].embedding}; anything else in the answer is skipped. */
    float[] parse(Buffer body) {
        try (JsonParser p = Json.FACTORY.createParser(body.getBytes())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("embeddings answer is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("data") && p.currentToken() == JsonToken.START_ARRAY && p.nextToken() == JsonToken.START_OBJECT) {
                    return firstEmbedding(p);
                }
                p.skipChildren();
            }
            throw new IllegalStateException("embeddings answer has no data[0].embedding");
        } catch (IOException e) {
            throw new IllegalStateException("embeddings answer is not valid JSON: " + e.getMessage(), e);
        }
    }

    private float[] firstEmbedding(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (name.equals("embedding") && p.currentToken() == JsonToken.START_ARRAY) {
                float[] v = new float[dimensions];
                int n = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (n == dimensions || !p.currentToken().isNumeric()) {
                        throw new IllegalStateException("embedding is not " + dimensions + " numbers");
                    }
                    v[n++] = p.getFloatValue();
                }
                if (n != dimensions) {
                    throw new IllegalStateException("embedding has " + n + " numbers (expected: " + dimensions + ")");
                }
                return Arrays.copyOf(v, n);
            }
            p.skipChildren();
        }
        throw new IllegalStateException("embeddings answer has no data[0].embedding");
    }
}
