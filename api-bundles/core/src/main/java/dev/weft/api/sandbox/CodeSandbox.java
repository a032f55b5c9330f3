package dev.weft.api.sandbox;

import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs a guest's {@code main} function in a sandbox: in Python 3, {@code main(**inputs)}; in
 * JavaScript, {@code main(inputs)}. The function must return an object (a dict in Python), which
 * comes back as a JSON value. Provided by the platform; the code node and other plug-ins look it up
 * as a service.
 */
@ProviderType
public interface CodeSandbox {

    /** Language ids this sandbox runs: {@code python3}, {@code javascript}. */
    Set<String> languages();

    /**
     * Runs the code and waits for its result. Blocks the calling thread; interrupting it stops the
     * guest.
     *
     * @throws SandboxException when the code fails, breaks a limit or the sandbox cannot run it
     */
    CodeResult run(CodeRequest request) throws SandboxException;
}
