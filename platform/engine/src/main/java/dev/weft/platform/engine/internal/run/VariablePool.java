package dev.weft.platform.engine.internal.run;

import dev.weft.api.core.JsonValues;
import dev.weft.platform.engine.internal.graph.References;
import dev.weft.spi.node.VariableSelector;
import dev.weft.spi.node.VariableView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;

/**
 * The variables of a run, addressed by selectors {@code [owner, name, ...path]}: node outputs under
 * the node's id, and the reserved owners {@code sys}, {@code env} and {@code conversation}.
 *
 * <p>A container's round gets a pool of its own on top of its container's: it sees everything
 * below and writes its nodes' outputs to itself, so parallel rounds do not see each other. An
 * update of a variable that a lower pool holds (a loop variable, a conversation variable) goes to
 * that pool. Only the engine writes; nodes get a {@link VariableView}.
 */
public final class VariablePool implements VariableView {

    private final VariablePool parent;
    private final Map<String, Map<String, Object>> byOwner = new ConcurrentHashMap<>();

    public VariablePool() {
        this(null);
    }

    private VariablePool(VariablePool parent) {
        this.parent = parent;
    }

    /** A pool for one round of a container, on top of this one. */
    public VariablePool child() {
        return new VariablePool(this);
    }

    /** Sets a variable in this pool. Values are copied; nulls are kept as "set to nothing". */
    public void put(String owner, String name, Object value) {
        byOwner.computeIfAbsent(owner, key -> new ConcurrentHashMap<>()).put(name, box(JsonValues.copyOf(value)));
    }

    /** Forgets every variable of an owner in this pool. */
    public void clear(String owner) {
        byOwner.remove(owner);
    }

    /** Sets all outputs of a node. */
    public void putAll(String owner, Map<String, Object> values) {
        values.forEach((name, value) -> put(owner, name, value));
    }

    /**
     * Changes a variable where it is held: in the nearest pool, from this one down, that has its
     * owner; in this pool when none has.
     */
    public void update(String owner, String name, Object value) {
        for (VariablePool pool = this; pool != null; pool = pool.parent) {
            if (pool.byOwner.containsKey(owner)) {
                pool.put(owner, name, value);
                return;
            }
        }
        put(owner, name, value);
    }

    /** The value of an owner's variable, looked for here then below. */
    public Optional<Object> get(List<String> selector) {
        if (selector.size() < 2) {
            return Optional.empty();
        }
        for (VariablePool pool = this; pool != null; pool = pool.parent) {
            Map<String, Object> owner = pool.byOwner.get(selector.get(0));
            if (owner != null && owner.containsKey(selector.get(1))) {
                Object value = unbox(owner.get(selector.get(1)));
                List<String> path = selector.subList(2, selector.size());
                return path.isEmpty() ? Optional.ofNullable(value) : JsonValues.at(value, path);
            }
        }
        return Optional.empty();
    }

    /** Whether a variable is set (possibly to nothing). */
    public boolean has(List<String> selector) {
        for (VariablePool pool = this; pool != null; pool = pool.parent) {
            Map<String, Object> owner = pool.byOwner.get(selector.get(0));
            if (owner != null && owner.containsKey(selector.get(1))) {
                return true;
            }
        }
        return false;
    }

    /** Every variable of an owner, as this pool sees them. */
    public Map<String, Object> all(String owner) {
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        java.util.Deque<VariablePool> pools = new java.util.ArrayDeque<>();
        for (VariablePool pool = this; pool != null; pool = pool.parent) {
            pools.push(pool);
        }
        for (VariablePool pool : pools) {
            Map<String, Object> held = pool.byOwner.get(owner);
            if (held != null) {
                held.forEach((name, value) -> values.put(name, unbox(value)));
            }
        }
        return values;
    }

    @Override
    public Optional<Object> get(VariableSelector selector) {
        return get(selector.parts());
    }

    /** Replaces {@code {{#owner.name.path#}}} with the variable's text; missing variables render empty. */
    @Override
    public String render(String template) {
        if (template == null || !template.contains("{{#")) {
            return template == null ? "" : template;
        }
        Matcher matcher = References.TEMPLATE.matcher(template);
        StringBuilder out = new StringBuilder(template.length());
        while (matcher.find()) {
            String text = Values.text(get(List.of(matcher.group(1).split("\\."))).orElse(null));
            matcher.appendReplacement(out, Matcher.quoteReplacement(text));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** ConcurrentHashMap holds no nulls: a variable set to nothing is held as this marker. */
    private static final Object NOTHING = new Object();

    private static Object box(Object value) {
        return value == null ? NOTHING : value;
    }

    private static Object unbox(Object value) {
        return value == NOTHING ? null : value;
    }
}
