package dev.weft.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/weft app deploy <dsl-file> [--workspace <name>] [--app-id <id-or-name>] [--new-key]}:
 * hands a DSL file to the server running from the same {@code WEFT_HOME}, authenticated by the
 * operator token the server keeps in {@code conf/operator.token}. The server imports the app (or
 * updates the one named), publishes it, and creates a key when the app has none or one is asked
 * for. The last line is {@code app_id=<id> api_key=<key>}, the key empty when none was made.
 */
final class AppDeploy {

    static final long MAX_FILE_BYTES = 10L * 1024 * 1024;
    private static final Pattern FIELD = Pattern.compile("\"(app_id|api_key|detail|version)\"\\s*:\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|(\\d+))");

    private final Map<String, String> env;
    private final PrintStream out;

    AppDeploy(Map<String, String> env, PrintStream out) {
        this.env = env;
        this.out = out;
    }

    int run(List<String> arguments) throws UsageException {
        if (arguments.isEmpty() || !arguments.get(0).equals("deploy")) {
            throw new UsageException("the app command takes 'deploy <dsl-file> [--workspace <name>] [--app-id <id>] [--new-key]'");
        }
        List<String> rest = new ArrayList<>(arguments.subList(1, arguments.size()));
        String workspace = option(rest, "--workspace");
        String appId = option(rest, "--app-id");
        boolean newKey = rest.remove("--new-key");
        if (rest.size() != 1 || rest.get(0).startsWith("--")) {
            throw new UsageException("app deploy takes one DSL file" + (rest.isEmpty() ? "" : ", not " + rest));
        }
        Path file = Path.of(rest.get(0));
        Layout layout = Layout.detect(env);
        try {
            if (!Files.isRegularFile(file)) {
                out.println("error: no such file: " + file);
                return Main.FAILED;
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                out.println("error: " + file + " is larger than " + MAX_FILE_BYTES / (1024 * 1024) + " MB");
                return Main.FAILED;
            }
            Path tokenFile = layout.conf().resolve("operator.token");
            Path urlFile = layout.data().resolve(Server.SERVER_URL_FILE);
            if (!Files.isRegularFile(urlFile) || !Files.isRegularFile(tokenFile)) {
                out.println("error: Weft is not running from " + layout.home() + " (start it with bin/weft first)");
                return Main.FAILED;
            }
            String token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            String base = Files.readString(urlFile, StandardCharsets.UTF_8).strip();
            String yaml = Files.readString(file, StandardCharsets.UTF_8);
            StringBuilder body = new StringBuilder("{\"yaml_content\":").append(quote(yaml));
            if (workspace != null) {
                body.append(",\"workspace\":").append(quote(workspace));
            }
            if (appId != null) {
                body.append(",\"app_id\":").append(quote(appId));
            }
            body.append(",\"new_key\":").append(newKey).append('}');
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/console/api/operator/apps/deploy"))
                    .timeout(Duration.ofMinutes(2)).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            Map<String, String> fields = fields(response.body());
            if (response.statusCode() != 200) {
                out.println(response.body());
                out.println("error: the server refused the deployment (" + response.statusCode() + "): "
                        + fields.getOrDefault("detail", "see above"));
                return Main.FAILED;
            }
            out.println("deployed " + file.getFileName() + " as version " + fields.getOrDefault("version", "?"));
            out.println("app_id=" + fields.getOrDefault("app_id", "") + " api_key=" + fields.getOrDefault("api_key", ""));
            return Main.OK;
        } catch (ConnectException e) {
            out.println("error: Weft does not answer at the address in " + layout.data().resolve(Server.SERVER_URL_FILE)
                    + " (is it running?)");
            return Main.FAILED;
        } catch (IOException e) {
            out.println("error: " + e.getMessage());
            return Main.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Main.FAILED;
        }
    }

    private static String option(List<String> arguments, String name) throws UsageException {
        int at = arguments.indexOf(name);
        if (at < 0) {
            return null;
        }
        if (at + 1 >= arguments.size()) {
            throw new UsageException(name + " needs a value");
        }
        String value = arguments.get(at + 1);
        arguments.remove(at + 1);
        arguments.remove(at);
        return value;
    }

    /** The top-level string and number fields this command reads from the server's answer. */
    static Map<String, String> fields(String json) {
        Map<String, String> fields = new java.util.HashMap<>();
        Matcher matcher = FIELD.matcher(json == null ? "" : json);
        while (matcher.find()) {
            fields.putIfAbsent(matcher.group(1), matcher.group(3) != null ? unquote(matcher.group(3)) : matcher.group(4));
        }
        return fields;
    }

    static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 16).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    private static String unquote(String text) {
        return text.replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\");
    }
}
