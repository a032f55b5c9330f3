package dev.weft.platform.models.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.spi.model.ModelParameters;
import dev.weft.spi.model.NonRetriableModelException;
import dev.weft.spi.model.ResponseFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Which sampling parameters each provider and model family takes, with their type, range, default
 * and whether they are required, like Dify's model {@code parameter_rules}. The data lives in
 * {@code parameter-rules.json} next to this class and is read once.
 *
 * <p>A model family is a prefix of the model name; the longest matching prefix wins, and only that
 * family's changes apply on top of its provider's rules. A provider this class does not know gets a
 * permissive generic set (temperature, top_p, max_tokens, stop) and nothing is refused for being
 * unsupported.
 *
 * <p>Messages never carry the values of {@link ModelParameters#extra() extra} parameters, which may
 * hold anything an app put there; only their names.
 */
final class ParameterRules {

    /** Where the data is, relative to this class. */
    static final String RESOURCE = "parameter-rules.json";

    /**
     * One parameter as the console shows it.
     *
     * @param type float, int, string, boolean or text
     * @param min for {@code stop}: unused
     * @param max for {@code stop}: the largest number of sequences
     */
    record Rule(String name, String type, boolean required, Object defaultValue, Double min, Double max,
            Integer precision, List<String> options, String help) {

        Rule {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            options = options == null ? List.of() : List.copyOf(options);
            help = help == null ? "" : help;
        }

        /** A label for the console: "top_p" becomes "Top P". */
        String label() {
            StringBuilder label = new StringBuilder();
            for (String word : name.split("_")) {
                if (word.isEmpty()) {
                    continue;
                }
                if (!label.isEmpty()) {
                    label.append(' ');
                }
                label.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
            return label.toString();
        }
    }

    /** A rule with the {@link ModelParameters} field it checks, if any. */
    private record Bound(Rule rule, String field) {
    }

    /** What applies to one provider and model. */
    private record Resolved(String provider, String model, boolean strict, List<Bound> rules,
            Map<String, Double> fixed, List<List<String>> exclusive) {

        Bound byName(String name) {
            for (Bound bound : rules) {
                if (bound.rule().name().equals(name)) {
                    return bound;
                }
            }
            return null;
        }

        Bound byField(String field) {
            for (Bound bound : rules) {
                if (field.equals(bound.field())) {
                    return bound;
                }
            }
            return null;
        }
    }

    private record Family(Map<String, Map<String, Object>> changes, List<Map<String, Object>> added,
            List<String> removed, Map<String, Double> fixed, List<List<String>> exclusive) {
    }

    private record Provider(boolean strict, List<Map<String, Object>> rules, Map<String, Family> families) {
    }

    /** The {@link ModelParameters} fields, by the name used in the data. */
    private static final List<String> FIELDS = List.of("temperature", "top_p", "max_tokens", "stop",
            "presence_penalty", "frequency_penalty", "seed");

    private static volatile ParameterRules loaded;

    private final Provider generic;
    private final Map<String, Provider> providers;

    private ParameterRules(Provider generic, Map<String, Provider> providers) {
        this.generic = generic;
        this.providers = providers;
    }

    /** The rules from this class's resources, read on first use. */
    static ParameterRules load() {
        ParameterRules rules = loaded;
        if (rules == null) {
            synchronized (ParameterRules.class) {
                rules = loaded;
                if (rules == null) {
                    try (InputStream in = ParameterRules.class.getResourceAsStream(RESOURCE)) {
                        if (in == null) {
                            throw new IllegalStateException(RESOURCE + " is missing from the bundle");
                        }
                        rules = parse(in);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read " + RESOURCE, e);
                    }
                    loaded = rules;
                }
            }
        }
        return rules;
    }

    /** Rules from JSON text in the form of {@code parameter-rules.json}. */
    @SuppressWarnings("unchecked")
    static ParameterRules parse(InputStream json) throws IOException {
        Map<String, Object> root = new ObjectMapper().readValue(json, Map.class);
        Provider generic = provider((Map<String, Object>) root.get("generic"));
        Map<String, Provider> providers = new LinkedHashMap<>();
        Map<String, Object> listed = (Map<String, Object>) root.getOrDefault("providers", Map.of());
        listed.forEach((id, value) -> providers.put(id.toLowerCase(Locale.ROOT), provider((Map<String, Object>) value)));
        return new ParameterRules(generic, Map.copyOf(providers));
    }

    /** The provider ids with rules of their own. */
    List<String> providers() {
        return providers.keySet().stream().sorted().toList();
    }

    /** The rules of a model, in the order the console shows them. */
    List<Rule> rules(String weftProvider, String model) {
        return resolve(weftProvider, model).rules().stream().map(Bound::rule).toList();
    }

    /** The family prefix that applies to a model, or {@code null} if none does. */
    String family(String weftProvider, String model) {
        Provider provider = weftProvider == null ? null : providers.get(weftProvider.toLowerCase(Locale.ROOT));
        return provider == null ? null : familyOf(provider, model);
    }

    /**
     * Checks a chat request's parameters against the model's rules, reporting every problem in one
     * message. A JSON response format is accepted for every provider: those without a native JSON mode
     * emulate it.
     *
     * @throws NonRetriableModelException.InvalidRequest if anything is out of range, of the wrong
     *         type, not supported, or missing
     */
    void validate(String weftProvider, String model, ModelParameters p, ResponseFormat format)
            throws NonRetriableModelException.InvalidRequest {
        List<String> problems = problems(weftProvider, model, p == null ? ModelParameters.DEFAULTS : p);
        if (!problems.isEmpty()) {
            throw new NonRetriableModelException.InvalidRequest(String.join("; ", problems));
        }
    }

    /** Parameters fit for a model, and the ones left out because it does not take them. */
    record Applied(ModelParameters parameters, List<String> leftOut) {
    }

    /**
     * Fits parameters to a model as Dify does: a parameter the model does not take (a penalty for
     * Anthropic, a temperature for a reasoning model) is left out and named; what remains must be
     * in range.
     *
     * @throws NonRetriableModelException.InvalidRequest for every remaining problem, in one message
     */
    Applied apply(String weftProvider, String model, ModelParameters p) throws NonRetriableModelException.InvalidRequest {
        ModelParameters given = p == null ? ModelParameters.DEFAULTS : p;
        Resolved resolved = resolve(weftProvider, model);
        List<String> leftOut = new ArrayList<>();
        java.util.function.Predicate<String> takes = field -> {
            Double fixed = resolved.fixed().get(field);
            boolean unsupported = fixed != null || resolved.byField(field) == null && resolved.strict();
            if (unsupported && typedValues(given).containsKey(field)) {
                leftOut.add(field);
            }
            return !unsupported;
        };
        ModelParameters fitted = new ModelParameters(
                takes.test("temperature") ? given.temperature() : null,
                takes.test("top_p") ? given.topP() : null,
                takes.test("max_tokens") ? given.maxTokens() : null,
                takes.test("stop") ? given.stop() : List.of(),
                takes.test("presence_penalty") ? given.presencePenalty() : null,
                takes.test("frequency_penalty") ? given.frequencyPenalty() : null,
                takes.test("seed") ? given.seed() : null,
                given.extra());
        validate(weftProvider, model, fitted, null);
        return new Applied(fitted, List.copyOf(leftOut));
    }

    /** Every problem with the parameters, each a short sentence; empty if there is none. */
    List<String> problems(String weftProvider, String model, ModelParameters p) {
        Resolved resolved = resolve(weftProvider, model);
        String where = resolved.provider() + "/" + resolved.model();
        List<String> problems = new ArrayList<>();
        Map<String, Object> set = typedValues(p);

        for (Map.Entry<String, Object> entry : set.entrySet()) {
            String field = entry.getKey();
            Object value = entry.getValue();
            Double fixed = resolved.fixed().get(field);
            if (fixed != null) {
                if (((Number) value).doubleValue() != fixed) {
                    problems.add(field + " " + value + " is not supported by " + where
                            + ": reasoning models accept only the default " + number(fixed) + " (leave it unset)");
                }
                continue;
            }
            Bound bound = resolved.byField(field);
            if (bound == null) {
                if (resolved.strict()) {
                    problems.add(field + " is not supported by " + where);
                }
                continue;
            }
            if (field.equals("stop")) {
                int count = ((List<?>) value).size();
                Double max = bound.rule().max();
                if (max != null && count > max) {
                    problems.add("stop has " + count + " sequences, at most " + number(max));
                }
                continue;
            }
            check(bound.rule(), value, where, true, problems);
        }

        for (Map.Entry<String, Object> entry : p.extra().entrySet()) {
            Bound bound = resolved.byName(entry.getKey());
            if (bound == null || set.containsKey(bound.field()) && bound.field() != null) {
                continue;
            }
            if (resolved.fixed().containsKey(bound.rule().name())) {
                continue;
            }
            check(bound.rule(), entry.getValue(), where, false, problems);
        }

        for (Bound bound : resolved.rules()) {
            Rule rule = bound.rule();
            if (rule.required() && rule.defaultValue() == null && !isSet(bound, set, p.extra())) {
                problems.add(rule.name() + " is required by " + where);
            }
        }

        for (List<String> group : resolved.exclusive()) {
            List<String> present = group.stream()
                    .filter(name -> set.containsKey(name) || p.extra().containsKey(name))
                    .toList();
            if (present.size() > 1) {
                problems.add(String.join(" and ", present) + " cannot be set together for " + where
                        + "; set only one");
            }
        }
        return problems;
    }

    private static boolean isSet(Bound bound, Map<String, Object> set, Map<String, Object> extra) {
        return bound.field() != null && set.containsKey(bound.field()) || extra.get(bound.rule().name()) != null;
    }

    /**
     * Checks one value. With {@code showValue} false (extra parameters) the message names the
     * parameter and the rule but never the value.
     */
    private static void check(Rule rule, Object value, String where, boolean showValue, List<String> problems) {
        String name = rule.name();
        String shown = showValue ? name + " " + value : name;
        if (value == null) {
            return;
        }
        switch (rule.type()) {
            case "float", "int" -> {
                if (!(value instanceof Number number)) {
                    problems.add(name + " must be " + (rule.type().equals("int") ? "an integer" : "a number"));
                    return;
                }
                double d = number.doubleValue();
                if (!Double.isFinite(d)) {
                    problems.add(name + " must be a finite number");
                    return;
                }
                if (rule.type().equals("int") && !integral(number)) {
                    problems.add(name + " must be an integer");
                    return;
                }
                if (rule.min() != null && d < rule.min()) {
                    problems.add(shown + " is below " + number(rule.min()) + " for " + where);
                } else if (rule.max() != null && d > rule.max()) {
                    problems.add(shown + " is above " + number(rule.max()) + " for " + where);
                }
            }
            case "boolean" -> {
                if (!(value instanceof Boolean)) {
                    problems.add(name + " must be true or false");
                }
            }
            default -> {
                if (!(value instanceof String text)) {
                    problems.add(name + " must be a string");
                } else if (!rule.options().isEmpty() && !rule.options().contains(text)) {
                    problems.add(name + " must be one of " + String.join(", ", rule.options()) + " for " + where);
                }
            }
        }
    }

    private static boolean integral(Number number) {
        if (number instanceof Integer || number instanceof Long || number instanceof Short
                || number instanceof Byte || number instanceof BigInteger) {
            return true;
        }
        if (number instanceof BigDecimal decimal) {
            return decimal.stripTrailingZeros().scale() <= 0;
        }
        double d = number.doubleValue();
        return d == Math.rint(d);
    }

    /** The typed parameters that are set, by their name in the data. */
    private static Map<String, Object> typedValues(ModelParameters p) {
        Map<String, Object> set = new LinkedHashMap<>();
        put(set, "temperature", p.temperature());
        put(set, "top_p", p.topP());
        put(set, "max_tokens", p.maxTokens());
        if (!p.stop().isEmpty()) {
            set.put("stop", p.stop());
        }
        put(set, "presence_penalty", p.presencePenalty());
        put(set, "frequency_penalty", p.frequencyPenalty());
        put(set, "seed", p.seed());
        return set;
    }

    private static void put(Map<String, Object> set, String name, Object value) {
        if (value != null) {
            set.put(name, value);
        }
    }

    /** 2.0 as "2", 0.5 as "0.5". */
    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private Resolved resolve(String weftProvider, String model) {
        String id = weftProvider == null ? "" : weftProvider.toLowerCase(Locale.ROOT);
        String name = model == null ? "" : model;
        Provider provider = providers.get(id);
        if (provider == null) {
            return new Resolved(id.isEmpty() ? "unknown" : id, name, generic.strict(), bind(generic.rules()),
                    Map.of(), List.of());
        }
        String prefix = familyOf(provider, name);
        Family family = prefix == null ? null : provider.families().get(prefix);
        if (family == null) {
            return new Resolved(id, name, provider.strict(), bind(provider.rules()), Map.of(), List.of());
        }
        List<Map<String, Object>> merged = new ArrayList<>();
        for (Map<String, Object> rule : provider.rules()) {
            String ruleName = (String) rule.get("name");
            if (family.removed().contains(ruleName) || family.fixed().containsKey(ruleName)) {
                continue;
            }
            Map<String, Object> change = family.changes().get(ruleName);
            if (change == null) {
                merged.add(rule);
            } else {
                Map<String, Object> changed = new LinkedHashMap<>(rule);
                changed.putAll(change);
                merged.add(changed);
            }
        }
        merged.addAll(family.added());
        return new Resolved(id, name, provider.strict(), bind(merged), family.fixed(), family.exclusive());
    }

    private static String familyOf(Provider provider, String model) {
        if (model == null) {
            return null;
        }
        String name = model.toLowerCase(Locale.ROOT);
        String best = null;
        for (String prefix : provider.families().keySet()) {
            if (name.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return best;
    }

    private static List<Bound> bind(List<Map<String, Object>> rules) {
        List<Bound> bound = new ArrayList<>(rules.size());
        for (Map<String, Object> rule : rules) {
            bound.add(new Bound(rule(rule), (String) rule.get("field")));
        }
        return List.copyOf(bound);
    }

    @SuppressWarnings("unchecked")
    private static Rule rule(Map<String, Object> json) {
        String name = (String) json.get("name");
        String type = (String) json.get("type");
        if (name == null || type == null) {
            throw new IllegalStateException(RESOURCE + ": a rule needs a name and a type: " + json);
        }
        if (!List.of("float", "int", "string", "boolean", "text").contains(type)) {
            throw new IllegalStateException(RESOURCE + ": " + name + " has unknown type " + type);
        }
        Object field = json.get("field");
        if (field != null && !FIELDS.contains(field)) {
            throw new IllegalStateException(RESOURCE + ": " + name + " binds to unknown field " + field);
        }
        Object defaultValue = json.get("default");
        if (defaultValue instanceof Number number && type.equals("float")) {
            defaultValue = number.doubleValue();
        }
        return new Rule(name, type, Boolean.TRUE.equals(json.get("required")), defaultValue,
                toDouble(json.get("min")), toDouble(json.get("max")),
                json.get("precision") instanceof Number n ? n.intValue() : null,
                (List<String>) json.get("options"), (String) json.get("help"));
    }

    private static Double toDouble(Object value) {
        return value instanceof Number number ? number.doubleValue() : null;
    }

    @SuppressWarnings("unchecked")
    private static Provider provider(Map<String, Object> json) {
        if (json == null) {
            throw new IllegalStateException(RESOURCE + ": a provider section is missing");
        }
        List<Map<String, Object>> rules = List.copyOf((List<Map<String, Object>>) json.getOrDefault("rules", List.of()));
        rules.forEach(ParameterRules::rule);
        Map<String, Family> families = new LinkedHashMap<>();
        Map<String, Object> listed = (Map<String, Object>) json.getOrDefault("families", Map.of());
        listed.forEach((prefix, value) -> {
            Map<String, Object> family = (Map<String, Object>) value;
            Map<String, Double> fixed = new LinkedHashMap<>();
            ((Map<String, Object>) family.getOrDefault("fixed", Map.of()))
                    .forEach((name, v) -> fixed.put(name, toDouble(v)));
            List<Map<String, Object>> added = List.copyOf(
                    (List<Map<String, Object>>) family.getOrDefault("add", List.of()));
            added.forEach(ParameterRules::rule);
            Map<String, Map<String, Object>> changes = new LinkedHashMap<>();
            ((Map<String, Object>) family.getOrDefault("rules", Map.of()))
                    .forEach((name, change) -> changes.put(name, (Map<String, Object>) change));
            families.put(prefix.toLowerCase(Locale.ROOT), new Family(Collections.unmodifiableMap(changes), added,
                    List.copyOf((List<String>) family.getOrDefault("remove", List.of())),
                    Collections.unmodifiableMap(fixed),
                    ((List<List<String>>) family.getOrDefault("exclusive", List.of())).stream()
                            .map(List::copyOf).toList()));
        });
        return new Provider(Boolean.TRUE.equals(json.get("strict")), rules, Collections.unmodifiableMap(families));
    }
}
