package dev.weft.itests;

import java.io.IOException;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.service.cm.ConfigurationAdmin;

/** Configuration Admin settings the tests change, as an operator's conf/*.cfg would. */
final class Configs {

    private Configs() {
    }

    /** Lets the egress guard through to a server of the test on loopback (the guard refuses 127.0.0.1 by default). */
    static void allowEgressTo(ConfigurationAdmin admin, int port) throws IOException {
        set(admin, "dev.weft.egress", Map.of("allow", "127.0.0.1:" + port));
    }

    /** Replaces the properties of a configuration PID. */
    static void set(ConfigurationAdmin admin, String pid, Map<String, Object> values) throws IOException {
        admin.getConfiguration(pid, null).update(new Hashtable<>(values));
    }
}
