package dev.weft.platform.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BundleDiagnosisTest {

    @Test
    void should_name_the_innermost_cause_of_a_recorded_failure() {
        String trace = """
                java.lang.reflect.InvocationTargetException
                \tat java.base/jdk.internal.reflect.DirectConstructorHandleAccessor.newInstance(DirectConstructorHandleAccessor.java:74)
                Caused by: org.osgi.service.component.ComponentException: activation failed
                \tat org.apache.felix.scr.impl.X.y(X.java:1)
                Caused by: java.lang.IllegalStateException: no licence key configured
                \tat dev.weft.itests.failing.FailingNodeType.<init>(FailingNodeType.java:15)
                """;

        assertThat(BundleDiagnosis.rootCause(trace)).isEqualTo("IllegalStateException: no licence key configured");
    }

    @Test
    void should_keep_a_single_line_failure_as_it_is() {
        assertThat(BundleDiagnosis.rootCause("The activate method threw: boom")).isEqualTo("The activate method threw: boom");
        assertThat(BundleDiagnosis.rootCause(null)).isEqualTo("unknown error");
    }
}
