package dev.weft.web.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.platform.security.Role;
import org.junit.jupiter.api.Test;

class AuthFilterTest {

    @Test
    void only_a_bearer_token_in_its_place_counts() {
        assertThat(AuthFilter.bearer("Bearer app-abc")).isEqualTo("app-abc");
        assertThat(AuthFilter.bearer("bearer app-abc")).isEqualTo("app-abc");
        assertThat(AuthFilter.bearer("Bearer ")).isNull();
        assertThat(AuthFilter.bearer("Bearer    ")).isNull();
        assertThat(AuthFilter.bearer("Basic app-abc")).isNull();
        assertThat(AuthFilter.bearer("app-abc")).isNull();
        assertThat(AuthFilter.bearer(null)).isNull();
        assertThat(AuthFilter.bearer("Bearer " + "x".repeat(500))).isNull();
    }

    static final class Plain {
        public void read() {
        }

        @Requires(Role.ADMIN)
        public void manage() {
        }

        @Access(Access.Kind.PUBLIC)
        public void open() {
        }
    }

    @Access(Access.Kind.APP_KEY)
    static final class Service {
        public void run() {
        }

        @Access(Access.Kind.OPERATOR)
        public void operate() {
        }
    }

    @Test
    void methods_without_annotations_are_console_ones_and_changes_need_an_editor() throws Exception {
        assertThat(AuthFilter.access(Plain.class.getMethod("read"), Plain.class)).isEqualTo(Access.Kind.CONSOLE);
        assertThat(AuthFilter.access(Plain.class.getMethod("open"), Plain.class)).isEqualTo(Access.Kind.PUBLIC);
        assertThat(AuthFilter.access(Service.class.getMethod("run"), Service.class)).isEqualTo(Access.Kind.APP_KEY);
        assertThat(AuthFilter.access(Service.class.getMethod("operate"), Service.class)).isEqualTo(Access.Kind.OPERATOR);

        assertThat(AuthFilter.required(Plain.class.getMethod("read"), Plain.class, "GET")).isEqualTo(Role.NORMAL);
        assertThat(AuthFilter.required(Plain.class.getMethod("read"), Plain.class, "POST")).isEqualTo(Role.EDITOR);
        assertThat(AuthFilter.required(Plain.class.getMethod("read"), Plain.class, "DELETE")).isEqualTo(Role.EDITOR);
        assertThat(AuthFilter.required(Plain.class.getMethod("manage"), Plain.class, "GET")).isEqualTo(Role.ADMIN);
    }
}
