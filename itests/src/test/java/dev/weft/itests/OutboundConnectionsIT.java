package dev.weft.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import org.junit.jupiter.api.Test;

/**
 * SECURITY.md SEC-21: every outbound connection goes through the egress guard. This reads the class
 * files of every Weft jar the distribution ships and fails when any of Weft's own classes, outside
 * the egress bundle, refers to an API that opens network connections.
 */
class OutboundConnectionsIT {

    /** Class names whose use means a connection of one's own. */
    static final Set<String> OUTBOUND_CLASSES = Set.of("java/net/Socket", "java/net/DatagramSocket",
            "java/net/HttpURLConnection", "java/net/URLConnection", "java/net/http/HttpClient",
            "java/nio/channels/SocketChannel", "java/nio/channels/DatagramChannel",
            "java/nio/channels/AsynchronousSocketChannel", "javax/net/SocketFactory", "javax/net/ssl/SSLSocketFactory",
            "jdk/net/Sockets", "org/apache/hc/client5/http/impl/classic/HttpClients",
            "org/apache/hc/client5/http/impl/classic/HttpClientBuilder",
            "org/eclipse/jetty/client/HttpClient", "com/sun/net/httpserver/HttpServer");
    /** Methods whose call opens a connection from a URL. */
    static final Set<String> OUTBOUND_METHODS = Set.of("java/net/URL.openConnection", "java/net/URL.openStream",
            "java/net/URL.getContent");
    /** The one place allowed to connect: the guard itself. */
    static final String GUARD = "dev/weft/platform/egress/";
    /**
     * The operator's command that hands a DSL file to the server of its own home: it runs outside
     * the server, as the operator, and connects only to the address that server wrote into
     * {@code WEFT_HOME/data/server.url}; no user input chooses where it connects.
     */
    static final Set<String> OPERATOR_CLIENTS = Set.of("dev/weft/launcher/AppDeploy.class");

    @Test
    void only_the_egress_guard_opens_connections() throws IOException {
        Path install = WeftOptions.distribution();
        List<Path> jars = new ArrayList<>();
        for (String folder : List.of("bundles", "lib", "lib/sandbox")) {
            jars.addAll(Jars.jarsIn(install.resolve(folder)).stream()
                    .filter(j -> j.getFileName().toString().startsWith("weft-")).toList());
        }
        assertThat(jars).as("Weft's own jars").hasSizeGreaterThan(10);
        List<String> offences = new ArrayList<>();
        int classes = 0;
        for (Path jar : jars) {
            try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
                JarEntry entry;
                while ((entry = in.getNextJarEntry()) != null) {
                    String name = entry.getName();
                    if (!name.startsWith("dev/weft/") || !name.endsWith(".class")) {
                        continue;
                    }
                    classes++;
                    if (name.startsWith(GUARD) || OPERATOR_CLIENTS.contains(name)) {
                        continue;
                    }
                    for (String reference : references(in)) {
                        if (OUTBOUND_CLASSES.contains(reference) || OUTBOUND_METHODS.contains(reference)) {
                            offences.add(jar.getFileName() + "!" + name + " uses " + reference);
                        }
                    }
                }
            }
        }
        assertThat(classes).as("Weft classes read").isGreaterThan(200);
        assertThat(offences).as("outbound connections outside the egress guard").isEmpty();
    }

    @Test
    void the_check_sees_a_connection_when_there_is_one() throws IOException {
        // this test class itself refers to nothing outbound; a class that opens a socket does
        try (InputStream in = OutboundConnectionsIT.class.getResourceAsStream("OutboundConnectionsIT$Offender.class")) {
            assertThat(references(in)).contains("java/net/Socket", "java/net/URL.openStream");
        }
    }

    /** A class that would be refused: it connects on its own. */
    static final class Offender {
        static void connect() throws IOException {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", 9)) {
                socket.getOutputStream().write(java.net.URI.create("http://127.0.0.1/").toURL().openStream().read());
            }
        }
    }

    /** The classes and methods a class file's constant pool refers to. */
    static Set<String> references(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classNameIndex = new int[count];
        int[][] memberRef = new int[count][];
        int[] nameAndTypeName = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7 -> classNameIndex[i] = in.readUnsignedShort();
                case 9, 10, 11 -> memberRef[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                case 12 -> {
                    nameAndTypeName[i] = in.readUnsignedShort();
                    in.readUnsignedShort();
                }
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                case 8, 16, 19, 20 -> in.readUnsignedShort();
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                case 17, 18 -> in.readInt();
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        Set<String> references = new HashSet<>();
        for (int i = 1; i < count; i++) {
            if (classNameIndex[i] != 0) {
                references.add(utf8[classNameIndex[i]]);
            }
            if (memberRef[i] != null) {
                String owner = utf8[classNameIndex[memberRef[i][0]]];
                references.add(owner + "." + utf8[nameAndTypeName[memberRef[i][1]]]);
            }
        }
        // descriptors name classes too (a field of type Socket, a parameter of type HttpClient)
        for (String text : utf8) {
            if (text != null && text.contains("L")) {
                for (String outbound : OUTBOUND_CLASSES) {
                    if (text.contains("L" + outbound + ";")) {
                        references.add(outbound);
                    }
                }
            }
        }
        return references;
    }

}
