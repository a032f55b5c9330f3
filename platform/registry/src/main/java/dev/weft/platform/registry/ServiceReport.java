package dev.weft.platform.registry;

/**
 * A pluggable service.
 *
 * @param kind {@code node-type}, {@code model-provider}, {@code tool-provider},
 *     {@code document-extractor}, {@code chunker}, {@code knowledge-index} or {@code retriever}
 * @param id its id within its kind
 * @param version its version
 */
public record ServiceReport(String kind, String id, String version) {
}
