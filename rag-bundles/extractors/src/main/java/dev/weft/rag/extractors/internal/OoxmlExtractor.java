package dev.weft.rag.extractors.internal;

import dev.weft.spi.rag.DocumentSource;
import dev.weft.spi.rag.ExtractedDocument;
import dev.weft.spi.rag.ExtractorDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.apache.poi.ooxml.POIXMLProperties;
import org.apache.poi.openxml4j.exceptions.InvalidFormatException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.openxml4j.opc.PackagePart;
import org.apache.poi.openxml4j.opc.PackageRelationshipTypes;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;

/**
 * What DOCX and XLSX have in common: the file is spooled to a temporary file, checked by
 * {@link OoxmlGuard}, opened read-only by POI, and its main part must be of the expected kind.
 *
 * <p>XML safety (SEC-36) is POI's: every part is parsed with DOCTYPE declarations disallowed, so a
 * part with an internal or external DTD, entity declarations or a billion-laughs payload fails to
 * parse ({@code document_unreadable}) and nothing is fetched. XInclude is not processed either.
 *
 * <p>A password-protected OOXML file is an OLE2 container holding an {@code EncryptionInfo}
 * stream; it is recognised and refused with a message saying so. Legacy binary {@code .doc} and
 * {@code .xls} files are refused as another type.
 */
abstract class OoxmlExtractor extends AbstractExtractor {

    private final OoxmlGuard.Rules rules;
    private final String kind;
    private final String mainMarker;

    /**
     * @param mainMarker a fragment of the main part's content type ({@code wordprocessingml},
     *        {@code spreadsheetml})
     */
    OoxmlExtractor(ExtractorDescriptor descriptor, Settings settings, String kind, String mainMarker) {
        super(descriptor, settings, kind);
        this.rules = OoxmlGuard.Rules.from(settings);
        this.kind = kind;
        this.mainMarker = mainMarker;
    }

    @Override
    final ExtractedDocument read(DocumentSource source, TextOut out) throws IOException {
        try (Input.TempFile file = Input.spool(source, limits().maxInputBytes())) {
            byte[] head;
            try (InputStream in = Files.newInputStream(file.path())) {
                head = in.readNBytes(8192);
            }
            Sniff sniff = Sniff.of(head);
            if (sniff == Sniff.OLE2) {
                throw ole2(source, file);
            }
            if (sniff != Sniff.ZIP) {
                throw mismatch(source, kind, sniff);
            }
            OoxmlGuard.check(file.path(), rules, source.fileName());
            OPCPackage pkg;
            try {
                pkg = OPCPackage.open(file.path().toFile(), PackageAccess.READ);
            } catch (InvalidFormatException e) {
                throw Errors.unreadable(Errors.name(source.fileName()) + " is a ZIP archive but not an Office document.", e);
            }
            try {
                requireMain(source, pkg);
                return readPackage(pkg, source, out);
            } finally {
                pkg.revert();
            }
        }
    }

    /** Reads the opened package. */
    abstract ExtractedDocument readPackage(OPCPackage pkg, DocumentSource source, TextOut out) throws IOException;

    private void requireMain(DocumentSource source, OPCPackage pkg) {
        List<PackagePart> main = pkg.getPartsByRelationshipType(PackageRelationshipTypes.CORE_DOCUMENT);
        String type = main.isEmpty() ? "" : main.get(0).getContentType();
        if (!type.contains(mainMarker)) {
            String actual = type.contains("wordprocessingml") ? "a Word document (DOCX)"
                    : type.contains("spreadsheetml") ? "a spreadsheet (XLSX)"
                    : type.contains("presentationml") ? "a presentation (PPTX)"
                    : "a ZIP archive that is not a Word document or spreadsheet";
            throw Errors.mismatch(Errors.name(source.fileName()) + " is not " + kind + ": its content is " + actual + ".");
        }
    }

    private RuntimeException ole2(DocumentSource source, Input.TempFile file) {
        boolean encrypted;
        try (POIFSFileSystem fs = new POIFSFileSystem(file.path().toFile(), true)) {
            encrypted = fs.getRoot().hasEntryCaseInsensitive("EncryptionInfo");
        } catch (IOException | RuntimeException e) {
            return Errors.unreadable(Errors.name(source.fileName()) + " is damaged.", e);
        }
        if (encrypted) {
            return Errors.unreadable(Errors.name(source.fileName())
                    + " is password-protected; remove the password and upload it again.", null);
        }
        return mismatch(source, kind, Sniff.OLE2);
    }

    /** Title and author from the package's core properties, and anything else the subclass adds. */
    static void putCoreProperties(OPCPackage pkg, Map<String, Object> metadata) {
        try {
            POIXMLProperties properties = new POIXMLProperties(pkg);
            POIXMLProperties.CoreProperties core = properties.getCoreProperties();
            put(metadata, "title", core.getTitle());
            put(metadata, "author", core.getCreator());
            POIXMLProperties.ExtendedProperties extended = properties.getExtendedProperties();
            if (extended != null && extended.getPages() > 0) {
                metadata.put("page_count", extended.getPages());
            }
        } catch (Exception e) {
            // properties are optional: a document with damaged properties still has its text
        }
    }

    private static void put(Map<String, Object> metadata, String key, String value) {
        if (value != null && !value.isBlank()) {
            metadata.put(key, TextOut.clean(value).strip());
        }
    }
}
