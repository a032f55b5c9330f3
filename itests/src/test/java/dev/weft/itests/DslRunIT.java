package dev.weft.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.provider.testing.FakeOpenAiServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/weft dsl run} of the distribution, with no server running, against the fake
 * OpenAI-compatible server: each file is imported, given generated inputs, run with every model call
 * routed to the fake, and counted once.
 */
class DslRunIT {

    private static final Pattern SUMMARY = Pattern.compile(
            "files=(\\d+) runnable=(\\d+) succeeded=(\\d+) failed=(\\d+) skipped=(\\d+)");

    private static Process weft(String... arguments) throws IOException {
        Path install = WeftOptions.distribution();
        List<String> command = new java.util.ArrayList<>(List.of(install.resolve("bin/weft").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // the instance's own credentials must play no part: everything goes to the fake
        builder.environment().remove("OPENAI_API_KEY");
        builder.environment().remove("OPENAI_BASE_URL");
        return builder.start();
    }

    private static List<String> output(Process process) throws Exception {
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return text.lines().toList();
    }

    @Test
    void the_dev_corpus_runs_against_the_fake_model_server() throws Exception {
        Path corpus = Path.of(System.getProperty("weft.corpus.dsl", ""));
        assumeTrue(Files.isDirectory(corpus), "the Dify DSL corpus is not at " + corpus);
        try (FakeOpenAiServer fake = new FakeOpenAiServer()) {
            Process run = weft("dsl", "run", corpus.toString(), "--model-base-url", fake.baseUrl());
            List<String> lines = output(run);
            assertThat(run.exitValue()).isZero();
            String summary = lines.get(lines.size() - 1);
            Matcher counts = SUMMARY.matcher(summary);
            assertThat(counts.matches()).as(summary).isTrue();
            int files = Integer.parseInt(counts.group(1));
            int runnable = Integer.parseInt(counts.group(2));
            int succeeded = Integer.parseInt(counts.group(3));
            int failed = Integer.parseInt(counts.group(4));
            int skipped = Integer.parseInt(counts.group(5));
            assertThat(files).isEqualTo(runnable + skipped).isEqualTo(lines.stream().filter(l -> l.contains(".yml: ")).count());
            assertThat(runnable).isEqualTo(succeeded + failed);
            assertThat(succeeded).as("succeeded of %d runnable:%n%s", runnable, String.join("\n", lines))
                    .isGreaterThanOrEqualTo((int) Math.ceil(runnable * 0.8));
            assertThat(fake.requests()).as("model calls that reached the fake").hasSizeGreaterThan(succeeded / 2);
            assertThat(fake.requests()).allSatisfy(r -> assertThat(r.path()).isEqualTo("/v1/chat/completions"));
        }
    }

    @Test
    void without_a_model_server_files_without_models_run_and_the_others_fail_saying_what_to_set() throws Exception {
        Path corpus = Path.of(System.getProperty("weft.corpus.dsl", ""));
        assumeTrue(Files.isDirectory(corpus), "the Dify DSL corpus is not at " + corpus);
        Path chat = corpus.resolve("f1e9dc3d997b.yml");
        List<String> lines = output(weft("dsl", "run", chat.toString()));
        assertThat(lines.get(lines.size() - 1)).isEqualTo("files=1 runnable=1 succeeded=1 failed=0 skipped=0");

        List<String> llm = output(weft("dsl", "run", corpus.resolve("45de60e09c3b.yml").toString()));
        assertThat(llm.get(llm.size() - 1)).isEqualTo("files=1 runnable=1 succeeded=0 failed=1 skipped=0");
        assertThat(llm.get(llm.size() - 2)).contains("failed").contains("no default model is configured")
                .contains("OPENAI_API_KEY");

        List<String> usage = output(weft("dsl", "run", chat.toString(), "--model-base-url"));
        assertThat(usage.get(usage.size() - 1)).startsWith("error: --model-base-url needs a value");
    }
}
