package dev.weft.platform.engine.internal.dsl;

import dev.weft.api.core.WeftException;

/** A DSL file that cannot be read at all (too large, not YAML, not a Dify file). */
public final class DslException extends WeftException {

    private static final long serialVersionUID = 1L;

    public DslException(String code, String message) {
        super(code, message);
    }
}
