package dev.weft.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The framework properties Weft runs with. The launcher and the integration tests both build them
 * here, so that the tests boot the platform exactly as {@code bin/weft} does.
 */
public final class FrameworkConfig {

    /** Start level of logging, SPI Fly and ASM: before anything that logs or uses ServiceLoader. */
    public static final int LEVEL_INFRASTRUCTURE = 1;
    /** Start level of the platform's bundles. */
    public static final int LEVEL_PLATFORM = 2;
    /** Start level of plug-ins from {@code deploy/}, and the framework's beginning level. */
    public static final int LEVEL_PLUGINS = 3;

    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final String DEFAULT_HTTP_HOST = "127.0.0.1";

    private FrameworkConfig() {
    }

    /**
     * The properties for a layout, with the listener taken from {@code WEFT_HTTP_PORT},
     * {@code WEFT_HTTP_HOST} and {@code WEFT_BEHIND_PROXY}, and {@code conf/framework.properties} (when present) applied last.
     *
     * @throws UsageException when the environment holds an invalid port or host
     * @throws IOException when {@code conf/framework.properties} cannot be read
     */
    public static Map<String, String> properties(Layout layout, Map<String, String> env, String version)
            throws UsageException, IOException {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("org.osgi.framework.storage", layout.cache().toString());
        // keep the cache between starts: restarts skip re-reading every bundle
        props.put("org.osgi.framework.storage.clean", "none");
        props.put("org.osgi.framework.startlevel.beginning", String.valueOf(LEVEL_PLUGINS));
        props.put("felix.startlevel.bundle", String.valueOf(LEVEL_PLUGINS));
        props.put("felix.log.level", "1");
        // Truffle (the code sandbox) needs the JDK's internal module API
        props.put("org.osgi.framework.bootdelegation", "jdk.internal.*");

        props.put("weft.version", version);
        props.put("weft.install", layout.install().toString());
        props.put("weft.home", layout.home().toString());
        props.put("weft.data", layout.data().toString());
        props.put("weft.deploy", layout.deploy().toString());
        props.put("weft.conf", layout.conf().toString());

        props.put("org.osgi.service.http.port", String.valueOf(port(env)));
        // Felix HTTP reads its own host property; org.osgi.service.http.host is ignored
        props.put("org.apache.felix.http.host", host(env));
        props.put("org.apache.felix.http.jetty.sendServerHeader", "false");
        props.put("org.apache.felix.http.jetty.headerBufferSize", "16384");
        props.put("org.apache.felix.http.jetty.requestBufferSize", "16384");
        props.put("org.apache.felix.http.timeout", "60000");
        props.put("org.apache.felix.http.session.timeout", "0");
        // behind a TLS-terminating proxy: the client's scheme and address come from its Forwarded /
        // X-Forwarded-* headers (Jetty's ForwardedRequestCustomizer); off by default, since a client
        // that reaches Weft directly could then claim any address and scheme
        props.put("org.apache.felix.proxy.load.balancer.connection.enable", String.valueOf(behindProxy(env)));

        // deploy/ holds plug-in jars, conf/ holds ConfigAdmin .cfg files
        props.put("felix.fileinstall.dir", layout.deploy() + "," + layout.conf());
        props.put("felix.fileinstall.filter", ".*\\.(jar|cfg|config)");
        props.put("felix.fileinstall.poll", "500");
        props.put("felix.fileinstall.noInitialDelay", "true");
        props.put("felix.fileinstall.start.level", String.valueOf(LEVEL_PLUGINS));
        props.put("felix.fileinstall.bundles.new.start", "true");
        props.put("felix.fileinstall.enableConfigSave", "false");
        props.put("felix.fileinstall.log.level", "2");

        Path overrides = layout.conf().resolve("framework.properties");
        if (Files.isRegularFile(overrides)) {
            Properties file = new Properties();
            try (Reader reader = Files.newBufferedReader(overrides, StandardCharsets.UTF_8)) {
                file.load(reader);
            }
            file.stringPropertyNames().forEach(name -> props.put(name, file.getProperty(name)));
        }
        return props;
    }

    static int port(Map<String, String> env) throws UsageException {
        String value = env.getOrDefault("WEFT_HTTP_PORT", "").trim();
        if (value.isEmpty()) {
            return DEFAULT_HTTP_PORT;
        }
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("WEFT_HTTP_PORT must be a port number from 0 to 65535, not '" + value + "'");
    }

    static boolean behindProxy(Map<String, String> env) throws UsageException {
        String value = env.getOrDefault("WEFT_BEHIND_PROXY", "").trim().toLowerCase(java.util.Locale.ROOT);
        return switch (value) {
            case "", "false", "no", "0" -> false;
            case "true", "yes", "1" -> true;
            default -> throw new UsageException("WEFT_BEHIND_PROXY must be true or false, not '" + value + "'");
        };
    }

    static String host(Map<String, String> env) throws UsageException {
        String value = env.getOrDefault("WEFT_HTTP_HOST", "").trim();
        if (value.isEmpty()) {
            return DEFAULT_HTTP_HOST;
        }
        if (!value.matches("[A-Za-z0-9.:\\-\\[\\]%]+")) {
            throw new UsageException("WEFT_HTTP_HOST must be a host name or an IP address, not '" + value + "'");
        }
        return value;
    }
}
