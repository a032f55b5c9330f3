/**
 * Operator commands: what {@code bin/weft <command>} runs.
 *
 * <p>A {@link dev.weft.spi.command.Command} is a service with the property
 * {@value dev.weft.spi.command.Command#NAME} naming it ({@code dsl}, {@code bench}). The launcher
 * starts the platform without its HTTP listener, on a temporary home unless {@code --home} is
 * given (commands that administer an installation, such as {@code admin}, run on the real
 * {@code WEFT_HOME} and refuse while a server runs from it), runs the command with the rest of the
 * arguments, and exits with its status.
 */
@Export
@Version("1.0.0")
package dev.weft.spi.command;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
