package io.github.vaultk8strust.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class CausesTest {

    @Test
    void joinsTheDistinctMessagesOfTheChainOutermostFirst() {
        assertThat(Causes.oneLine(new IllegalStateException("outer", new RuntimeException("inner"))))
                .isEqualTo("outer; caused by: inner");
        RuntimeException repeated = new RuntimeException("same", new IOException("same"));
        assertThat(Causes.oneLine(repeated)).isEqualTo("same");
    }

    @Test
    void namesTheTypeWhereThereIsNoMessageAndStopsAfterFive() {
        assertThat(Causes.oneLine(new IllegalStateException((String) null))).isEqualTo("IllegalStateException");
        Throwable deep = new RuntimeException("6");
        for (int i = 5; i >= 1; i--) {
            deep = new RuntimeException(String.valueOf(i), deep);
        }
        assertThat(Causes.oneLine(deep)).isEqualTo("1; caused by: 2; caused by: 3; caused by: 4; caused by: 5");
    }
}
