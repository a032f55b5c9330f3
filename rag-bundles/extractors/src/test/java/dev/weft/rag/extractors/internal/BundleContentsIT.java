package dev.weft.rag.extractors.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Checks the built bundle: its DS components and the manifest headers that decide whether it resolves. */
class BundleContentsIT {

    private static final Path BUNDLE = Path.of(System.getProperty("bundle.file", "target/weft-rag-extractors.jar"));

    @Test
    void declaresOneExtractorComponentPerFormat() throws IOException {
        try (JarFile jar = new JarFile(BUNDLE.toFile())) {
            String header = jar.getManifest().getMainAttributes().getValue("Service-Component");
            List<String> pids = new ArrayList<>();
            for (String xmlPath : header.split(",")) {
                String xml;
                try (InputStream in = jar.getInputStream(jar.getEntry(xmlPath.strip()))) {
                    xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                assertThat(xml).contains("<provide interface=\"dev.weft.spi.rag.DocumentExtractor\"/>");
                Matcher pid = Pattern.compile("configuration-pid=\"([^\"]+)\"").matcher(xml);
                assertThat(pid.find()).as("configuration-pid in %s", xmlPath).isTrue();
                pids.add(pid.group(1));
            }
            assertThat(pids).containsExactlyInAnyOrder("dev.weft.rag.extractors.txt", "dev.weft.rag.extractors.markdown",
                    "dev.weft.rag.extractors.html", "dev.weft.rag.extractors.pdf", "dev.weft.rag.extractors.docx",
                    "dev.weft.rag.extractors.xlsx", "dev.weft.rag.extractors.csv", "dev.weft.rag.extractors.json");
        }
    }

    @Test
    void embedsTheLibrariesAndExportsNothing() throws IOException {
        try (JarFile jar = new JarFile(BUNDLE.toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertThat(main.getValue("Bundle-SymbolicName")).isEqualTo("dev.weft.rag.extractors");
            List<String> classPath = Arrays.stream(main.getValue("Bundle-ClassPath").split(",")).map(String::strip).toList();
            assertThat(classPath).contains(".", "lib/poi.jar", "lib/poi-ooxml.jar", "lib/poi-ooxml-lite.jar", "lib/xmlbeans.jar",
                    "lib/pdfbox.jar", "lib/fontbox.jar", "lib/jsoup.jar", "lib/commonmark.jar", "lib/commons-csv.jar");
            for (String lib : classPath) {
                if (!lib.equals(".")) {
                    assertThat(jar.getEntry(lib)).as(lib).isNotNull();
                }
            }
            assertThat(classPath).noneMatch(l -> l.contains("math3") || l.contains("scratchpad") || l.contains("batik")
                    || l.contains("bcprov") || l.contains("curvesapi") || l.contains("jackson"));
            assertThat(main.getValue("Export-Package")).isNull();
            assertThat(main.getValue("Bundle-Activator")).isNull();
            String imports = main.getValue("Import-Package");
            assertThat(imports).contains("com.fasterxml.jackson.databind", "dev.weft.spi.rag");
            // embedded libraries must not become mandatory imports
            for (String pkg : List.of("org.apache.poi", "org.apache.pdfbox", "org.jsoup", "org.commonmark")) {
                assertThat(imports).doesNotContain(pkg + ";").doesNotContain(pkg + ",");
            }
            assertThat(Files.size(BUNDLE)).isLessThan(20L * 1024 * 1024);
        }
    }
}
