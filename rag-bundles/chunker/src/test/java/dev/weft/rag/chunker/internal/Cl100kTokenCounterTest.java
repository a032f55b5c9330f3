package dev.weft.rag.chunker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Cl100kTokenCounterTest {

    private final Cl100kTokenCounter counter = new Cl100kTokenCounter();

    @Test
    void countsLikeCl100k() {
        assertThat(counter.count("hello world")).isEqualTo(2); // [15339, 1917]
        assertThat(counter.count("")).isZero();
        assertThat(counter.count("机器学习")).isPositive();
    }

    @Test
    void specialTokenTextIsOrdinaryText() {
        assertThat(counter.count("<|endoftext|>")).isGreaterThan(1);
    }
}
