package dev.sluice.cache.learn.capture;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShapeDigesterTest {
    private final ShapeDigester digester = new ShapeDigester("0123456789abcdef0123".getBytes(UTF_8));

    private ShapeDigester.Digests digest(String body, Map<String, String> bindings) throws Exception {
        byte[] b = body.getBytes(UTF_8);
        return digester.digest(b, b.length, bindings, List.of("target=sim/m"), true);
    }

    private static String request(String system, String earlier, String newest) {
        return "{\"model\":\"m\",\"max_tokens\":10,\"system\":\"" + system + "\",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"" + earlier + "\"},{\"role\":\"assistant\",\"content\":\"ok\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"" + newest + "\",\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"}}]}]}";
    }

    @Test
    void partsSayWhichTurnDiffers() throws Exception {
        var a = digest(request("sys", "first", "second"), Map.of());
        var b = digest(request("sys", "FIRST", "second"), Map.of());
        assertThat(a.parts().system()).isEqualTo(b.parts().system());
        assertThat(a.parts().turns()).hasSize(2);
        assertThat(a.parts().turns().get(0)).isNotEqualTo(b.parts().turns().get(0));
        assertThat(a.parts().turns().get(1)).isEqualTo(b.parts().turns().get(1));
        assertThat(a.parts().newest()).isEqualTo(b.parts().newest());
        assertThat(a.parts().commonPrefix(b.parts())).isEqualTo(2);
        assertThat(a.keys()).isNotEqualTo(b.keys());
        assertThat(a.breakpoints()).containsExactly(new Shape.Breakpoint(4, "1h"));
        assertThat(a.parts().prefixBytes()).hasSize(5).isSorted();
        assertThat(a.newestText()).isEqualTo("second");
    }

    @Test
    void variantsSeparateWhitespaceAndDeveloperValues() throws Exception {
        var plain = digest(request("cwd /home/alice/app\\nok", "x", "why"), Map.of("HOME", "/home/alice"));
        var crlf = digest(request("cwd /home/alice/app  \\r\\nok", "x", "why"), Map.of("HOME", "/home/alice"));
        var bob = digest(request("cwd /home/bob/app\\nok", "x", "why"), Map.of("HOME", "/home/bob"));
        var bobUnbound = digest(request("cwd /home/bob/app\\nok", "x", "why"), Map.of());
        assertThat(crlf.keys().get(Shape.Variant.EXACT)).isNotEqualTo(plain.keys().get(Shape.Variant.EXACT));
        assertThat(crlf.keys().get(Shape.Variant.WHITESPACE)).isEqualTo(plain.keys().get(Shape.Variant.WHITESPACE));
        assertThat(crlf.keys().get(Shape.Variant.REWRITE_WHITESPACE)).isEqualTo(plain.keys().get(Shape.Variant.REWRITE_WHITESPACE));
        assertThat(bob.keys().get(Shape.Variant.REWRITE)).isEqualTo(plain.keys().get(Shape.Variant.REWRITE));
        assertThat(bob.keys().get(Shape.Variant.EXACT)).isNotEqualTo(plain.keys().get(Shape.Variant.EXACT));
        assertThat(bob.bindings().get("HOME")).isNotEqualTo(plain.bindings().get("HOME"));
        assertThat(bobUnbound.keys().get(Shape.Variant.REWRITE)).isNotEqualTo(plain.keys().get(Shape.Variant.REWRITE));
        assertThat(bobUnbound.loose()).as("the loose digest masks a home directory the keyer missed").isEqualTo(plain.loose());
        assertThat(bobUnbound.raw().system()).isNotEqualTo(plain.raw().system());
    }

    @Test
    void cacheControlAndKeyOrderDoNotChangeDigestsButTheSaltDoes() throws Exception {
        var a = digest("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}", Map.of());
        var b = digest("{\"messages\":[{\"content\":\"q\",\"role\":\"user\"}],\"max_tokens\":1.0,\"model\":\"m\",\"stream\":true}", Map.of());
        assertThat(a.keys()).isEqualTo(b.keys());
        var other = new ShapeDigester("another salt of 16+ bytes".getBytes(UTF_8));
        byte[] body = "{\"model\":\"m\",\"messages\":[]}".getBytes(UTF_8);
        assertThat(other.digest(body, body.length, Map.of(), List.of(), false).keys().get(Shape.Variant.EXACT))
                .isNotEqualTo(digester.digest(body, body.length, Map.of(), List.of(), false).keys().get(Shape.Variant.EXACT));
    }

    @Test
    void answerDigestMasksTheDevelopersValues() {
        assertThat(digester.answer("Open /home/alice/app/x.py\n", Map.of("HOME", "/home/alice")))
                .isEqualTo(digester.answer("Open /home/bob/app/x.py", Map.of("HOME", "/home/bob")))
                .isNotEqualTo(digester.answer("Open /home/bob/app/y.py", Map.of("HOME", "/home/bob")));
    }
}
