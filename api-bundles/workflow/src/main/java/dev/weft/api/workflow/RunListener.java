package dev.weft.api.workflow;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives every event of every run, as a whiteboard service. Called on the run's thread, in event
 * order: return quickly, and hand slow work (network, disk) to a queue of your own.
 */
@ConsumerType
public interface RunListener {

    void onEvent(RunEvent event);
}
