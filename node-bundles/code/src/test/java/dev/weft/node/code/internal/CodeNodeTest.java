package dev.weft.node.code.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.api.sandbox.CodeRequest;
import dev.weft.api.sandbox.CodeResult;
import dev.weft.api.sandbox.CodeSandbox;
import dev.weft.api.sandbox.SandboxException;
import dev.weft.node.testing.TestNodeContext;
import dev.weft.spi.node.NodeException;
import dev.weft.spi.node.NodeResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The node's Dify behaviours (arguments, output validation, errors) against a double of the sandbox. */
class CodeNodeTest {

    private final List<CodeRequest> requests = new ArrayList<>();
    private Function<CodeRequest, Map<String, Object>> answer = r -> Map.of("result", "ok");

    private final CodeSandbox sandbox = new CodeSandbox() {
        @Override
        public Set<String> languages() {
            return Set.of("python3", "javascript");
        }

        @Override
        public CodeResult run(CodeRequest request) {
            requests.add(request);
            return new CodeResult(answer.apply(request), "", false, Duration.ofMillis(1));
        }
    };

    private final CodeNode node = new CodeNode(sandbox);

    private static Map<String, Object> config(Map<String, Object> outputs, Object... variables) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("type", "code");
        config.put("code_language", "python3");
        config.put("code", "def main(arg1):\n    return {'result': arg1}\n");
        List<Map<String, Object>> vars = new ArrayList<>();
        for (int i = 0; i < variables.length; i += 2) {
            vars.add(Map.of("variable", variables[i], "value_selector", variables[i + 1]));
        }
        config.put("variables", vars);
        config.put("outputs", outputs);
        return config;
    }

    private static Map<String, Object> out(String... nameTypes) {
        Map<String, Object> outputs = new LinkedHashMap<>();
        for (int i = 0; i < nameTypes.length; i += 2) {
            Map<String, Object> output = new HashMap<>();
            output.put("type", nameTypes[i + 1]);
            output.put("children", null);
            outputs.put(nameTypes[i], output);
        }
        return outputs;
    }

    private NodeResult run(Map<String, Object> outputs, Map<String, Object> returned) throws NodeException {
        answer = r -> returned;
        return node.execute(TestNodeContext.of(config(outputs)));
    }

    private void rejects(Map<String, Object> outputs, Map<String, Object> returned, String message) {
        answer = r -> returned;
        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config(outputs))))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.code()).isIn("output_validation_error", "depth_limit_error"))
                .hasMessage(message);
    }

    @Test
    void variablesBecomeTheArgumentsOfMain() throws NodeException {
        NodeResult result = node.execute(TestNodeContext.of(config(out("result", "string"),
                "arg1", List.of("start", "query"), "missing", List.of("start", "nothing"), "path", List.of("start", "obj", "a")))
                .with("start.query", "hello").with("start.obj", Map.of("a", 5)));
        CodeRequest request = requests.get(0);
        assertThat(request.language()).isEqualTo("python3");
        assertThat(request.code()).contains("def main(arg1)");
        assertThat(request.inputs()).containsEntry("arg1", "hello").containsEntry("path", 5).containsEntry("missing", null);
        assertThat(result.outputs()).containsEntry("result", "ok");
        assertThat(result.inputs()).containsEntry("arg1", "hello");
    }

    @Test
    void everyDeclaredTypeIsChecked() throws NodeException {
        Map<String, Object> returned = new LinkedHashMap<>();
        returned.put("s", "text\u0000with nul");
        returned.put("n", 3.5);
        returned.put("i", 42);
        returned.put("b", true);
        returned.put("o", Map.of("k", List.of(1, 2), "deep", Map.of("x", "y")));
        returned.put("as", List.of("a", "b"));
        returned.put("an", List.of(1, 2.5));
        returned.put("ao", Arrays.asList(Map.of("a", 1), null));
        returned.put("ab", List.of(true, false));
        returned.put("none", null);
        NodeResult result = run(out("s", "string", "n", "number", "i", "number", "b", "boolean", "o", "object",
                "as", "array[string]", "an", "array[number]", "ao", "array[object]", "ab", "array[boolean]", "none", "string"), returned);
        assertThat(result.outputs()).containsEntry("s", "textwith nul").containsEntry("n", 3.5).containsEntry("i", 42)
                .containsEntry("b", true).containsEntry("as", List.of("a", "b")).containsEntry("none", null);
        assertThat(result.outputs().get("ao")).isEqualTo(Arrays.asList(Map.of("a", 1), null));
    }

    @Test
    void typeMismatchesAreReportedAsDifyReportsThem() {
        rejects(out("result", "string"), Map.of("result", 5), "Output variable `result` must be a string");
        rejects(out("result", "number"), Map.of("result", "5"), "Output variable `result` must be a number");
        rejects(out("result", "boolean"), Map.of("result", "yes"), "Output variable `result` must be a boolean");
        rejects(out("result", "object"), Map.of("result", List.of()), "Output result is not an object, got <class 'list'> instead.");
        rejects(out("result", "array[string]"), Map.of("result", "x"), "Output result is not an array, got <class 'str'> instead.");
        rejects(out("result", "array[number]"), Map.of("result", List.of(1, "2")),
                "The element at index 1 of output variable `result` must be a number.");
        rejects(out("result", "array[string]"), Map.of("result", List.of("a", 2)),
                "The element at index 1 of output variable `result` must be a string.");
        rejects(out("result", "array[object]"), Map.of("result", List.of(1)),
                "Output result[0] is not an object, got <class 'int'> instead at index 0.");
        rejects(out("result", "string"), Map.of("other", "x"), "Output result is missing.");
        rejects(out("result", "string"), Map.of("result", "x", "extra", 1), "Not all output parameters are validated.");
    }

    @Test
    void limitsAreDifys() {
        rejects(out("result", "string"), Map.of("result", "x".repeat(400_001)),
                "The length of output variable `result` must be less than 400000 characters");
        rejects(out("result", "array[string]"), Map.of("result", java.util.Collections.nCopies(31, "a")),
                "The length of output variable `result` must be less than 30 elements.");
        rejects(out("result", "array[object]"), Map.of("result", java.util.Collections.nCopies(31, Map.of())),
                "The length of output variable `result` must be less than 30 elements.");
        rejects(out("result", "array[number]"), Map.of("result", java.util.Collections.nCopies(1001, 1)),
                "The length of output variable `result` must be less than 1000 elements.");
        rejects(out("result", "number"), Map.of("result", new java.math.BigInteger("9223372036854775808")),
                "Output variable `result` is out of range, it must be between -9223372036854775808 and 9223372036854775807.");
        rejects(out("result", "number"), Map.of("result", 1e-25),
                "Output variable `result` has too high precision, it must be less than 20 digits.");
        rejects(out("result", "object"), Map.of("result", Map.of("a", Map.of("b", Map.of("c", Map.of("d", Map.of("e", 1)))))),
                "Depth limit 5 reached, object too deep.");
    }

    @Test
    void numbersThatAreNotFiniteAndListsStartingWithNullAreStillChecked() {
        rejects(out("result", "number"), Map.of("result", Double.POSITIVE_INFINITY),
                "Output variable `result` is out of range, it must be between -9223372036854775808 and 9223372036854775807.");
        rejects(out("result", "object"), Map.of("result", Map.of("list", Arrays.asList(null, "x".repeat(400_001)))),
                "The length of output variable `.result.list[1]` must be less than 400000 characters");
    }

    @Test
    void nestedSchemasAreCheckedWithTheirPath() throws NodeException {
        Map<String, Object> children = out("name", "string", "score", "number");
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("person", Map.of("type", "object", "children", children));
        assertThat(run(outputs, Map.of("person", Map.of("name", "Ada", "score", 9))).outputs())
                .containsEntry("person", Map.of("name", "Ada", "score", 9));
        rejects(outputs, Map.of("person", Map.of("name", 1, "score", 9)), "Output variable `.person.name` must be a string");
        rejects(outputs, Map.of("person", Map.of("name", "Ada")), "Output .person.score is missing.");
    }

    @Test
    void sandboxFailuresFailTheNodeWithTheirCode() {
        CodeSandbox failing = new CodeSandbox() {
            @Override
            public Set<String> languages() {
                return Set.of("python3");
            }

            @Override
            public CodeResult run(CodeRequest request) {
                throw new SandboxException(SandboxException.VIOLATION, "SandboxViolation: the module 'os' is not available in the sandbox");
            }
        };
        assertThatThrownBy(() -> new CodeNode(failing).execute(TestNodeContext.of(config(out("result", "string")))))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.code()).isEqualTo("sandbox_violation"))
                .hasMessageContaining("'os'");
    }

    @Test
    void javascriptIsPassedThrough() throws NodeException {
        Map<String, Object> config = config(out("result", "string"));
        config.put("code_language", "javascript");
        config.put("code", "function main({arg1}) { return {result: arg1}; }");
        node.execute(TestNodeContext.of(config));
        assertThat(requests.get(0).language()).isEqualTo("javascript");
    }

    @Test
    void validationNamesEachProblem() {
        Map<String, Object> config = config(Map.of("r", Map.of("type", "array[any]"), "q", Map.of()));
        config.put("code_language", "ruby");
        config.put("variables", List.of(Map.of("variable", "not valid"), "x"));
        assertThat(node.validate(config)).extracting(v -> v.path())
                .containsExactlyInAnyOrder("/code_language", "/variables/0", "/variables/1", "/outputs/r/type", "/outputs/q");
        assertThat(node.validate(config(out("result", "string"), "arg1", List.of("start", "x")))).isEmpty();
    }
}
