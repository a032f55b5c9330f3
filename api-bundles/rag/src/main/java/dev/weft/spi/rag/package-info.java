/**
 * The knowledge SPI: the steps that turn documents into searchable knowledge, and the search.
 *
 * <p>Ingestion is a pipeline of plug-in services: a {@link dev.weft.spi.rag.DocumentExtractor}
 * turns a file into text, a {@link dev.weft.spi.rag.Chunker} cuts the text into
 * {@link dev.weft.spi.rag.Chunk}s (optionally parents with children), the platform embeds them, and
 * a {@link dev.weft.spi.rag.KnowledgeIndex} stores them, atomically per document. Search asks the
 * index for the best chunks by meaning, by words, or both
 * ({@link dev.weft.spi.rag.SearchMode}), narrowed by a {@link dev.weft.spi.rag.MetadataFilter}.
 * A {@link dev.weft.spi.rag.Retriever} answers the same question from knowledge kept outside Weft.
 *
 * <p>Indexes are opened through a {@link dev.weft.spi.rag.KnowledgeIndexProvider}, so the embedded
 * Lucene index can be replaced by a search engine a larger installation already runs.
 */
@Export
@Version("1.0.0")
package dev.weft.spi.rag;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
