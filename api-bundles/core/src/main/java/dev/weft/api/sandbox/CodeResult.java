package dev.weft.api.sandbox;

import java.time.Duration;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What {@code main} returned, and what the guest printed.
 *
 * @param result the returned object, as JSON values
 * @param output what the guest wrote to standard output and error, cut at the sandbox's limit
 * @param outputTruncated whether {@code output} was cut
 * @param elapsed how long the run took inside the sandbox
 */
@ProviderType
public record CodeResult(Map<String, Object> result, String output, boolean outputTruncated, Duration elapsed) {
}
