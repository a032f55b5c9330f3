/**
 * Runs as their callers see them: statuses and the ordered events of a run.
 *
 * <p>A run emits {@link dev.weft.api.workflow.RunEvent}s as it happens: the run starts, each node
 * starts, streams, is retried and finishes, and the run finishes with a
 * {@link dev.weft.api.workflow.RunStatus}. The events map one to one onto Dify's streaming events
 * ({@code workflow_started}, {@code node_started}, {@code text_chunk}, {@code node_retry},
 * {@code node_finished}, {@code workflow_finished}). {@link dev.weft.api.workflow.RunListener}
 * services receive every event of every run; persistence, tracing and streaming to HTTP clients are
 * such listeners.
 */
@Export
@Version("1.1.0")
package dev.weft.api.workflow;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
