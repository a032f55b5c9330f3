package dev.weft.rag.lucene.internal;

/**
 * Vectors are stored and searched at unit length, compared by dot product.
 *
 * <p>Lucene's {@code DOT_PRODUCT} similarity requires unit vectors; on them it equals cosine
 * similarity and is cheaper than {@code COSINE}, which divides by both norms on every comparison.
 * Embedding models differ in whether they normalise their output, so every vector, indexed or
 * queried, is scaled to unit length here rather than trusted. The score Lucene reports is then
 * {@code (1 + cosine) / 2}; {@link Searches} reports the cosine.
 */
final class Vectors {

    private Vectors() {
    }

    /**
     * A unit-length copy of a vector.
     *
     * @param what names the vector in error messages
     * @throws IllegalArgumentException if the size is wrong, or a component is not finite, or all are 0
     */
    static float[] unit(float[] vector, int dimensions, String what) {
        if (vector.length != dimensions) {
            throw new IllegalArgumentException(what + " has " + vector.length + " dimensions; this index holds "
                    + dimensions + "-dimension vectors (the embedding model must not change without re-indexing)");
        }
        double sum = 0;
        for (float component : vector) {
            if (!Float.isFinite(component)) {
                throw new IllegalArgumentException(what + " holds a value that is not a finite number");
            }
            sum += (double) component * component;
        }
        if (sum == 0) {
            throw new IllegalArgumentException(what + " is all zeros and has no direction");
        }
        double norm = Math.sqrt(sum);
        float[] unit = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            unit[i] = (float) (vector[i] / norm);
        }
        return unit;
    }
}
