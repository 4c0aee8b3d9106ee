package dev.sluice.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BetasTest {
    @Test
    void betasAreBounded() {
        assertThatThrownBy(() -> Betas.parse(List.of("x".repeat(200)))).isInstanceOf(ApiError.class);
        String seventyOne = "a" + IntStream.range(0, 70).mapToObj(i -> ",b" + i).collect(Collectors.joining());
        assertThatThrownBy(() -> Betas.parse(List.of(seventyOne))).isInstanceOf(ApiError.class);
        assertThat(Betas.parse(List.of(" a , ,b", "a"))).containsExactly("a", "b");
    }

    @Test
    void jsonArrayEscapesEachValue() {
        assertThat(Betas.jsonArray(List.of("a", "b\"c"))).isEqualTo("[\"a\",\"b\\\"c\"]");
        assertThat(Betas.jsonArray(List.of())).isEqualTo("[]");
    }
}
