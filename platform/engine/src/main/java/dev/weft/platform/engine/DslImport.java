package dev.weft.platform.engine;

import java.util.List;

/**
 * The outcome of reading a DSL file: the app, unless an error stopped it, and every issue found.
 *
 * @param app the app; null when there is an error
 * @param issues every error and warning, in the order found
 */
public record DslImport(AppDefinition app, List<Issue> issues) {

    public DslImport {
        issues = List.copyOf(issues);
        if (app == null && issues.stream().noneMatch(Issue::isError)) {
            throw new IllegalArgumentException("an import without an app needs an error");
        }
    }

    public boolean imported() {
        return app != null;
    }

    public List<Issue> errors() {
        return issues.stream().filter(Issue::isError).toList();
    }

    public List<Issue> warnings() {
        return issues.stream().filter(issue -> !issue.isError()).toList();
    }
}
