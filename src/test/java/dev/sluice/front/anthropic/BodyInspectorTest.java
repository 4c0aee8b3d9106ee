package dev.sluice.front.anthropic;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.pipeline.RequestFacts;
import dev.sluice.wire.ApiError;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BodyInspectorTest {
    private static RequestFacts inspect(String body) {
        return BodyInspector.inspect(Operation.MESSAGES, RequestBody.of(body));
    }

    /** The bytes between the model offsets. */
    private static String modelSlice(String body, RequestFacts f) {
        byte[] b = body.getBytes(UTF_8);
        RequestFacts.Field m = f.field("model");
        return new String(Arrays.copyOfRange(b, m.valueStart(), m.valueEnd()), UTF_8);
    }

    @Test
    void readsTheFieldsThePipelineNeeds() {
        String body = "{\"model\":\"claude-x\",\"max_tokens\":1024,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"b\"}]},"
                + "{\"role\":\"user\",\"content\":\"c\"}],\"metadata\":{\"user_id\":\"u-1\"}}";
        RequestFacts f = inspect(body);
        assertThat(f.model()).isEqualTo("claude-x");
        assertThat(f.maxTokens()).isEqualTo(1024);
        assertThat(f.stream()).isTrue();
        assertThat(f.messageCount()).isEqualTo(3);
        assertThat(f.metadataUserId()).isEqualTo("u-1");
        assertThat(f.bodyBytes()).isEqualTo(body.getBytes(UTF_8).length);
        assertThat(modelSlice(body, f)).isEqualTo("\"claude-x\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"model\":\"claude-x\",\"max_tokens\":1,\"messages\":[]}",
            "{\"max_tokens\":1,\"messages\":[],\"model\":\"claude-x\"}",
            "{ \"max_tokens\" : 1 ,\n\t\"messages\" : [ ] ,\r\n  \"model\"   :   \"claude-x\"   }",
            "{\"system\":\"\u65e5\u672c\u8a9e \ud83d\ude00 caf\u00e9\",\"max_tokens\":1,\"messages\":[],\"model\":\"claude-x\"}",
            "{\"x\":{\"model\":\"decoy\",\"y\":[\"model\"]},\"max_tokens\":1,\"messages\":[{\"model\":\"decoy\"}],\"model\":\"claude-x\"}",
            "{\"model\":\"claude\\u002dx\",\"max_tokens\":1,\"messages\":[]}",
    })
    void modelOffsetsAreByteOffsetsOfTheQuotedTopLevelValue(String body) {
        RequestFacts f = inspect(body);
        assertThat(f.model()).isEqualTo("claude-x");
        String slice = modelSlice(body, f);
        assertThat(slice).startsWith("\"").endsWith("\"");
        assertThat(slice).isIn("\"claude-x\"", "\"claude\\u002dx\"");
    }

    @Test
    void aModelWithEscapesIsSlicedWhole() {
        String body = "{\"max_tokens\":1,\"messages\":[],\"model\":\"we\\\"ird\\u0041\\\\name\"}";
        RequestFacts f = inspect(body);
        assertThat(f.model()).isEqualTo("we\"irdA\\name");
        assertThat(modelSlice(body, f)).isEqualTo("\"we\\\"ird\\u0041\\\\name\"");
    }

    /** Spaces, look-alike hyphens and emoji only serve to dodge a rule written for the real name, or to mangle headers. */
    @ParameterizedTest
    @ValueSource(strings = {" claude-opus-4-6", "claude opus", "claude\u2010opus-4-6", "claude-\u202ex", "\ud83d\ude00", "caf\u00e9"})
    void aModelNameIsPrintableAsciiWithoutSpaces(String model) {
        assertThatThrownBy(() -> inspect("{\"model\":\"" + model + "\",\"max_tokens\":1,\"messages\":[]}"))
                .isInstanceOf(ApiError.class).hasMessageContaining("printable ASCII");
    }

    /** Parsers disagree on which copy of a repeated field counts, so the gateway and the upstream could read two requests. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"model\":\"cheap\",\"max_tokens\":1,\"messages\":[],\"model\":\"dear\"}",
            "{\"model\":\"m\",\"stream\":false,\"max_tokens\":1,\"messages\":[],\"stream\":true}",
            "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[],\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
            "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[],\"x\":1,\"x\":2}",
            "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[],\"mod\\u0065l\":\"dear\"}",
    })
    void aFieldGivenTwiceIsRefused(String body) {
        assertThatThrownBy(() -> inspect(body)).isInstanceOf(ApiError.class).hasMessageContaining("twice");
    }

    @Test
    void aFieldGivenTwiceAmongManyIsFoundToo() {
        StringBuilder b = new StringBuilder("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[]");
        for (int i = 0; i < 40; i++) {
            b.append(",\"f").append(i).append("\":").append(i);
        }
        assertThat(inspect(b + "}").model()).isEqualTo("m");
        assertThatThrownBy(() -> inspect(b + ",\"f7\":0}")).hasMessageContaining("'f7' twice");
        assertThatThrownBy(() -> inspect("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[],\"metadata\":{\"user_id\":\"a\",\"user_id\":\"b\"}}"))
                .hasMessageContaining("'user_id' twice");
    }

    @Test
    void metadataUserIdIsReadOnlyWhenItIsAString() {
        String claudeCode = "{\\\"device_id\\\":\\\"d\\\",\\\"session_id\\\":\\\"s\\\"}";
        assertThat(inspect("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[],\"metadata\":{\"other\":{\"user_id\":\"no\"},\"user_id\":\""
                + claudeCode + "\"}}").metadataUserId()).isEqualTo("{\"device_id\":\"d\",\"session_id\":\"s\"}");
        assertThat(inspect("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[],\"metadata\":{\"user_id\":42}}").metadataUserId()).isNull();
        assertThat(inspect("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[],\"metadata\":{\"user_id\":null}}").metadataUserId()).isNull();
        assertThat(inspect("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[],\"metadata\":\"x\"}").metadataUserId()).isNull();
        assertThat(inspect("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[],\"metadata\":null}").metadataUserId()).isNull();
        assertThat(inspect("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[]}").metadataUserId()).isNull();
    }

    @Test
    void unknownFieldsOfEveryShapeAreSkipped() {
        RequestFacts f = inspect("{\"a\":null,\"b\":[1,[2,[3]],{\"c\":{}}],\"d\":{\"e\":\"f\"},\"g\":-1.5e-3,\"h\":false,"
                + "\"model\":\"m\",\"max_tokens\":7,\"messages\":[],\"stream\":false}");
        assertThat(f.model()).isEqualTo("m");
        assertThat(f.maxTokens()).isEqualTo(7);
        assertThat(f.stream()).isFalse();
        assertThat(f.messageCount()).isZero();
    }

    @Test
    void eachMessageSpanIsItsExactBytes() {
        String m0 = "{\"role\":\"user\",\"content\":\"a\"}";
        String m1 = "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"b\"}]}";
        String body = "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[ " + m0 + " ,\n" + m1 + "]}";
        RequestFacts f = inspect(body);
        byte[] b = body.getBytes(UTF_8);
        assertThat(f.messages()).hasSize(2);
        assertThat(new String(b, f.messages().get(0).start(), f.messages().get(0).end() - f.messages().get(0).start(), UTF_8)).isEqualTo(m0);
        assertThat(new String(b, f.messages().get(1).start(), f.messages().get(1).end() - f.messages().get(1).start(), UTF_8)).isEqualTo(m1);
    }

    @Test
    void countTokensNeedsNoMaxTokens() {
        RequestFacts f = BodyInspector.inspect(Operation.COUNT_TOKENS,
                RequestBody.of("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        assertThat(f.maxTokens()).isEqualTo(-1);
        assertThat(f.messageCount()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            empty                  | ``                                                     | Request body is empty
            blank                  | `   `                                                  | JSON object
            array                  | []                                                     | must be a JSON object
            string                 | "text"                                                 | must be a JSON object
            truncated              | {"model":"m","max_tokens":1,"messages":[              | not valid JSON
            bad token              | {"model":m}                                            | not valid JSON
            trailing object        | {"model":"m","max_tokens":1,"messages":[]} {}          | content after the JSON object
            trailing garbage       | {"model":"m","max_tokens":1,"messages":[]}]            | not valid JSON
            model number           | {"model":1,"max_tokens":1,"messages":[]}               | model: Input should be a valid string
            model null             | {"model":null,"max_tokens":1,"messages":[]}            | model: Input should be a valid string
            model object           | {"model":{"id":"m"},"max_tokens":1,"messages":[]}      | model: Input should be a valid string
            no model               | {"max_tokens":1,"messages":[]}                         | model: Field required
            max_tokens float       | {"model":"m","max_tokens":1.5,"messages":[]}           | max_tokens: Input should be a valid integer
            max_tokens string      | {"model":"m","max_tokens":"1","messages":[]}           | max_tokens: Input should be a valid integer
            max_tokens huge        | {"model":"m","max_tokens":123456789012345678901234567890,"messages":[]} | max_tokens: Input should be a valid integer (123456789012345678901234567890 is out of range)
            no max_tokens          | {"model":"m","messages":[]}                            | max_tokens: Field required
            max_tokens negative    | {"model":"m","max_tokens":-5,"messages":[]}           | max_tokens: Input should be greater than or equal to 1 (got -5)
            max_tokens zero        | {"model":"m","max_tokens":0,"messages":[]}            | max_tokens: Input should be greater than or equal to 1 (got 0)
            messages object        | {"model":"m","max_tokens":1,"messages":{}}             | messages: Input should be a valid list
            messages string        | {"model":"m","max_tokens":1,"messages":"hi"}           | messages: Input should be a valid list
            no messages            | {"model":"m","max_tokens":1}                           | messages: Field required
            stream string          | {"model":"m","max_tokens":1,"messages":[],"stream":"true"} | stream: Input should be a valid boolean
            stream array           | {"model":"m","max_tokens":1,"messages":[],"stream":[true]} | stream: Input should be a valid boolean
            """)
    void invalidBodiesAre400InvalidRequestErrorsThatSayWhy(String what, String body, String message) {
        assertThatThrownBy(() -> inspect(body == null ? "" : body))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.type()).isEqualTo("invalid_request_error");
                    assertThat(e.getMessage()).contains(message).doesNotContain("Source:", "StreamRead", "\n");
                });
    }

    @Test
    void aParseErrorNamesItsByteOffset() {
        assertThatThrownBy(() -> inspect("{\"model\":\"m\", oops}"))
                .isInstanceOf(ApiError.class).hasMessageContaining("at byte 14");
    }

    @Test
    void invalidUtf8IsA400NotACrash() {
        byte[] body = "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"XX\"}]}".getBytes(UTF_8);
        int at = new String(body, UTF_8).indexOf("XX");
        body[at] = (byte) 0xC3;
        body[at + 1] = (byte) 0x28;
        assertThatThrownBy(() -> BodyInspector.inspect(Operation.MESSAGES, RequestBody.of(body)))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void deepNestingInAnUnknownFieldIsA400NotACrash() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertThatThrownBy(() -> inspect("{\"x\":" + deep + ",\"model\":\"m\",\"max_tokens\":1,\"messages\":[]}"))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("nested").doesNotContain("Source:");
                });
    }

    @Test
    void longStringsAreFine() {
        String image = "A".repeat(25 * 1024 * 1024);
        RequestFacts f = inspect("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\","
                + "\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"" + image + "\"}}]}]}");
        assertThat(f.messageCount()).isEqualTo(1);
    }
}
