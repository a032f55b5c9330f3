package dev.weft.rag.lucene.internal;

import java.io.IOException;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene103.Lucene103Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

/**
 * Lucene's default codec with a higher limit on vector dimensions.
 *
 * <p>Lucene refuses vectors of more than 1024 dimensions by default, while common embedding models
 * produce 1536 (OpenAI text-embedding-3-small, ada-002) or 3072 (text-embedding-3-large). The limit
 * is only checked when writing, through the codec's vector format; the files are exactly those of
 * {@link Lucene99HnswVectorsFormat}. So this codec keeps the standard names (codec {@code Lucene103},
 * format {@code Lucene99HnswVectorsFormat}) and any Lucene 10.3 reader, with or without this class,
 * opens the index.
 */
final class WeftCodec extends Lucene103Codec {

    /** The largest vector written. */
    static final int MAX_DIMENSIONS = 4096;

    private final KnnVectorsFormat vectors = new WideHnswFormat();

    @Override
    public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return vectors;
    }

    /** The standard HNSW format under its own name, accepting up to {@link #MAX_DIMENSIONS}. */
    private static final class WideHnswFormat extends KnnVectorsFormat {
        private final Lucene99HnswVectorsFormat delegate = new Lucene99HnswVectorsFormat();

        WideHnswFormat() {
            super("Lucene99HnswVectorsFormat");
        }

        @Override
        public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
            return delegate.fieldsWriter(state);
        }

        @Override
        public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
            return delegate.fieldsReader(state);
        }

        @Override
        public int getMaxDimensions(String fieldName) {
            return MAX_DIMENSIONS;
        }

        @Override
        public String toString() {
            return "WideHnswFormat(" + delegate + ", maxDimensions=" + MAX_DIMENSIONS + ")";
        }
    }
}
