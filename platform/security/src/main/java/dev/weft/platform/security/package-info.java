/**
 * Accounts, workspaces and their members, console sessions, API keys and the operator token.
 *
 * <p>Passwords are hashed with a memory-hard function; session tokens, invitation tokens and API
 * keys are random and stored only as hashes, so the store never holds anything that would let a
 * reader sign in. Every call that touches a workspace's records names the workspace.
 */
@Export
@Version("1.1.0")
package dev.weft.platform.security;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
