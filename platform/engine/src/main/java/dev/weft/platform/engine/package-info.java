/**
 * The workflow engine as the rest of the platform uses it: reading, checking and writing Dify DSL
 * files, and running app graphs with their events.
 *
 * <p>{@link dev.weft.platform.engine.DslService} turns a DSL file into an
 * {@link dev.weft.platform.engine.AppDefinition}, with every problem found as an
 * {@link dev.weft.platform.engine.Issue}: errors stop the import, warnings say what the app still
 * needs before it can run. {@link dev.weft.platform.engine.WorkflowEngine} runs the graph of an app
 * and reports its {@link dev.weft.api.workflow.RunEvent}s.
 */
@Export
@Version("1.3.0")
package dev.weft.platform.engine;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
