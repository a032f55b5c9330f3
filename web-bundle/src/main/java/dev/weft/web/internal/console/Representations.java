package dev.weft.web.internal.console;

import java.util.List;
import java.util.Map;

/** The console API's wire records. Member names become snake_case on the wire. */
final class Representations {

    private Representations() {
    }

    record PluginList(List<BundleJson> bundles) {
    }

    /**
     * @param source where it came from: {@code platform} (the install's bundles/), {@code deploy},
     *     {@code system} (the framework) or {@code other}
     */
    record BundleJson(Long id, String symbolicName, String version, String state, boolean fragment, String source,
            String location, List<ServiceJson> services, String error) {
    }

    record ServiceJson(String kind, String id, String version) {
    }

    record NodeTypeList(List<NodeTypeJson> nodeTypes) {
    }

    record NodeTypeJson(String type, String version, String title, String description, String category,
            String bundle, String bundleVersion, Map<String, Object> configSchema, List<VariableJson> inputs,
            List<VariableJson> outputs, boolean shadowed) {
    }

    record VariableJson(String name, String type, String description, boolean required) {
    }

    /** @param createdAt seconds since the epoch, as Dify writes times */
    record WorkspaceJson(String id, String name, long createdAt) {
    }

    /** The body of a workspace rename. */
    record WorkspaceInfo(String name) {
    }
}
