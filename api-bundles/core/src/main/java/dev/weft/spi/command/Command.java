package dev.weft.spi.command;

import java.io.PrintStream;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An operator command of {@code bin/weft}, contributed as a service with the property
 * {@value #NAME}.
 */
@ConsumerType
public interface Command {

    /** The service property naming the command: {@code bin/weft <name> ...}. */
    String NAME = "weft.command";

    /** Exit status of a command that ran. */
    int OK = 0;
    /** Exit status of a command that could not do its work. */
    int FAILED = 1;
    /** Exit status of a usage error: wrong arguments. */
    int USAGE = 2;

    /**
     * Runs the command. The last line written to {@code out} is its one-line summary; details go
     * before it, diagnostics to {@code err}.
     *
     * @param arguments the arguments after the command's name
     * @return {@link #OK}, {@link #FAILED} or {@link #USAGE}
     */
    int run(List<String> arguments, PrintStream out, PrintStream err);
}
