package dev.weft.provider.local.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A sentence-embedding model run by ONNX Runtime: texts tokenized, padded into batches, the
 * {@code [CLS]} vector of the last hidden state taken and normalised to unit length (bge's pooling).
 */
final class OnnxEmbedder implements AutoCloseable {

    static final int BATCH = 16;

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final WordPiece tokenizer;
    private final int maxLength;
    private final boolean typeIds;

    OnnxEmbedder(byte[] model, InputStream tokenizerJson, int maxLength) throws IOException, OrtException {
        this.tokenizer = WordPiece.read(tokenizerJson);
        this.environment = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        // the platform's other work (indexing, the store) shares the cores: threads that hand work
        // out in small blocks and do not spin keep inference from waiting on a preempted thread
        options.addConfigEntry("session.dynamic_block_base", "4");
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        this.session = environment.createSession(model, options);
        this.typeIds = session.getInputNames().contains("token_type_ids");
        this.maxLength = maxLength;
    }

    int dimensions() throws OrtException {
        return embed(List.of("dimensions")).get(0).length;
    }

    /** Unit vectors for the texts, in their order; the count of tokens read. */
    List<float[]> embed(List<String> texts) throws OrtException {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += BATCH) {
            vectors.addAll(batch(texts.subList(from, Math.min(texts.size(), from + BATCH))));
        }
        return vectors;
    }

    long tokens(List<String> texts) {
        long count = 0;
        for (String text : texts) {
            count += tokenizer.encode(text, maxLength).length;
        }
        return count;
    }

    private List<float[]> batch(List<String> texts) throws OrtException {
        long[][] ids = new long[texts.size()][];
        int width = 0;
        for (int i = 0; i < texts.size(); i++) {
            ids[i] = tokenizer.encode(texts.get(i), maxLength);
            width = Math.max(width, ids[i].length);
        }
        long[] inputIds = new long[texts.size() * width];
        long[] mask = new long[texts.size() * width];
        for (int i = 0; i < texts.size(); i++) {
            for (int j = 0; j < ids[i].length; j++) {
                inputIds[i * width + j] = ids[i][j];
                mask[i * width + j] = 1;
            }
        }
        long[] shape = {texts.size(), width};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(inputIds), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape));
            if (typeIds) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[inputIds.length]), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][][] hidden = (float[][][]) result.get(0).getValue();
                List<float[]> vectors = new ArrayList<>(texts.size());
                for (float[][] sequence : hidden) {
                    vectors.add(normalized(sequence[0]));
                }
                return vectors;
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static float[] normalized(float[] vector) {
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        float[] out = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            out[i] = norm == 0 ? 0 : (float) (vector[i] / norm);
        }
        return out;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
