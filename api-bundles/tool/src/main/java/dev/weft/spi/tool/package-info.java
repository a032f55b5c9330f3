/**
 * The tool SPI: actions that agents and tool nodes call.
 *
 * <p>A {@link dev.weft.spi.tool.ToolProvider} service groups related {@link dev.weft.spi.tool.Tool}s
 * that share credentials (a search engine's API, a company's OpenAPI service, an MCP server). A
 * tool describes its arguments with a JSON schema, so a model can call it, and answers a
 * {@link dev.weft.spi.tool.ToolInvocation} with a {@link dev.weft.spi.tool.ToolResult} of text,
 * JSON, links or files.
 */
@Export
@Version("1.0.0")
package dev.weft.spi.tool;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
