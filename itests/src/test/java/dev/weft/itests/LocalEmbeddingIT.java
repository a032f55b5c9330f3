package dev.weft.itests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.model.ModelCall;
import dev.weft.api.model.ModelRuntime;
import dev.weft.spi.model.EmbeddingRequest;
import java.util.List;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The default embedding model of a fresh install, through the model runtime in the distribution's
 * bundles: nothing configured, no network, ONNX Runtime's natives loaded inside the OSGi framework.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LocalEmbeddingIT {

    @Inject
    ModelRuntime models;

    @Configuration
    public Option[] config() {
        return WeftOptions.platform();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }

    @Test
    public void paraphrases_rank_above_unrelated_sentences_with_nothing_configured() throws Exception {
        List<float[]> v = models.embed(new ModelCall("itest", "", "", null, null), new EmbeddingRequest(List.of(
                "How do I reset my password?",
                "I forgot my password and need to change it.",
                "The train to Lyon leaves at nine.",
                "What time does the Lyon train depart?"), EmbeddingRequest.Purpose.DOCUMENT)).vectors();
        assertThat(v).hasSize(4).allSatisfy(vector -> assertThat(vector).hasSize(384));
        assertThat(cosine(v.get(0), v.get(1))).isGreaterThan(cosine(v.get(0), v.get(2)))
                .isGreaterThan(cosine(v.get(0), v.get(3)));
        assertThat(cosine(v.get(2), v.get(3))).isGreaterThan(cosine(v.get(2), v.get(0)))
                .isGreaterThan(cosine(v.get(2), v.get(1)));
    }
}
