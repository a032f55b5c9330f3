package dev.weft.rag.chunker.internal;

import java.util.Random;

/** Deterministic sample texts for the chunker tests. */
final class TestTexts {

    private static final String[] WORDS = ("the cell protein binding receptor signal pathway increased reduced "
            + "patients cohort study trial outcome risk analysis model data sample expression gene mutation "
            + "response treatment dose effect mice tissue brain cortex neuron memory learning network index "
            + "measure level rate growth factor kinase inhibitor clinical observed significant associated")
            .split(" ");

    private TestTexts() {
    }

    /** Sentences of 8 to 20 words, each ending with a full stop. */
    static String englishSentences(int count, long seed) {
        Random random = new Random(seed);
        StringBuilder out = new StringBuilder();
        for (int s = 0; s < count; s++) {
            int length = 8 + random.nextInt(13);
            for (int w = 0; w < length; w++) {
                String word = WORDS[random.nextInt(WORDS.length)];
                out.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
                out.append(w == length - 1 ? ". " : " ");
            }
        }
        return out.toString().strip();
    }

    /** Paragraphs of English sentences, separated by blank lines. */
    static String englishParagraphs(int paragraphs, int sentencesEach, long seed) {
        StringBuilder out = new StringBuilder();
        for (int p = 0; p < paragraphs; p++) {
            if (p > 0) {
                out.append("\n\n");
            }
            out.append(englishSentences(sentencesEach, seed * 31 + p));
        }
        return out.toString();
    }

    /** Chinese sentences without spaces, ending with 。！ or ？. */
    static String chinese(int sentences, long seed) {
        String[] clauses = {"机器学习模型在医学影像中的应用越来越广泛", "研究人员发现该蛋白质与细胞信号通路有关",
            "临床试验的结果表明治疗效果显著", "数据分析需要大量的样本和计算资源", "大脑皮层的神经元参与记忆的形成",
            "基因突变可能增加患病的风险", "这种方法可以降低成本并提高效率"};
        String ends = "。！？";
        Random random = new Random(seed);
        StringBuilder out = new StringBuilder();
        for (int s = 0; s < sentences; s++) {
            out.append(clauses[random.nextInt(clauses.length)]);
            out.append(ends.charAt(random.nextInt(ends.length())));
        }
        return out.toString();
    }

    /** Japanese sentences without spaces, ending with 。. */
    static String japanese(int sentences, long seed) {
        String[] clauses = {"機械学習モデルは医療画像の解析に使われています", "研究者はこのタンパク質が細胞の信号伝達に関わることを見つけました",
            "臨床試験の結果は治療の効果を示しました", "データ分析には多くのサンプルが必要です",
            "大脳皮質のニューロンは記憶の形成に関与します"};
        Random random = new Random(seed);
        StringBuilder out = new StringBuilder();
        for (int s = 0; s < sentences; s++) {
            out.append(clauses[random.nextInt(clauses.length)]).append('。');
        }
        return out.toString();
    }

    /** One "word" of random letters, with no separator of any kind. */
    static String longWord(int length, long seed) {
        Random random = new Random(seed);
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append((char) ('a' + random.nextInt(26)));
        }
        return out.toString();
    }
}
