/**
 * Outbound HTTP through the platform's egress guard.
 *
 * <p>Every connection Weft opens to a host a user named (an HTTP-request node, a tool, a document
 * loader, a model provider's base URL) goes through {@link dev.weft.api.http.OutboundHttp}: only
 * http and https, only allowed ports, never to loopback, private, link-local or metadata addresses
 * unless the operator allowed them, every redirect checked again, the address that was checked the
 * one that is connected to, and the response bounded in size and time.
 */
@Export
@Version("1.0.0")
package dev.weft.api.http;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
