package dev.weft.api.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every type of every API bundle says who implements it, {@code @ProviderType} (Weft) or
 * {@code @ConsumerType} (plug-ins): bnd's baseline rules depend on it. The annotations are kept in
 * class files only, so the check reads the class files.
 */
class RoleAnnotationsTest {

    private static final String PROVIDER = "Lorg/osgi/annotation/versioning/ProviderType;";
    private static final String CONSUMER = "Lorg/osgi/annotation/versioning/ConsumerType;";

    @ParameterizedTest
    @ValueSource(classes = {dev.weft.api.core.JsonValues.class, dev.weft.spi.node.NodeType.class,
        dev.weft.spi.model.ChatModel.class, dev.weft.spi.rag.Chunker.class, dev.weft.spi.tool.Tool.class})
    void every_api_type_declares_its_role(Class<?> member) throws Exception {
        List<String> unmarked = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (ClassFile file : classFiles(new File(member.getProtectionDomain().getCodeSource().getLocation().toURI()))) {
            if (file.name().endsWith("package-info.class")) {
                continue;
            }
            types.add(file.name());
            String constants = new String(file.bytes(), StandardCharsets.ISO_8859_1);
            if (!constants.contains(PROVIDER) && !constants.contains(CONSUMER)) {
                unmarked.add(file.name());
            }
        }

        assertThat(types).isNotEmpty();
        assertThat(unmarked).as("types without @ProviderType or @ConsumerType").isEmpty();
    }

    private record ClassFile(String name, byte[] bytes) {
    }

    private static List<ClassFile> classFiles(File location) throws IOException {
        List<ClassFile> files = new ArrayList<>();
        if (location.isDirectory()) {
            try (Stream<Path> paths = Files.walk(location.toPath())) {
                for (Path path : paths.filter(p -> p.toString().endsWith(".class")).toList()) {
                    files.add(new ClassFile(location.toPath().relativize(path).toString(), Files.readAllBytes(path)));
                }
            }
            return files;
        }
        try (JarFile jar = new JarFile(location)) {
            for (JarEntry entry : jar.stream().filter(e -> e.getName().endsWith(".class")).toList()) {
                try (InputStream in = jar.getInputStream(entry)) {
                    files.add(new ClassFile(entry.getName(), in.readAllBytes()));
                }
            }
        }
        return files;
    }
}
