package dev.weft.platform.models.internal;

import dev.weft.api.model.ModelRuntime;
import dev.weft.spi.model.ModelProvider;
import java.util.Map;

/** For the benchmark only: the real model runtime with one provider and instance credentials. */
public final class BenchRuntime {

    private BenchRuntime() {
    }

    public static ModelRuntime with(ModelProvider provider, Map<String, String> env) {
        ModelRuntimeService runtime = new ModelRuntimeService(env);
        runtime.configure(null, duration -> Thread.sleep(duration.toMillis()));
        runtime.addProvider(provider, Map.of());
        return runtime;
    }
}
