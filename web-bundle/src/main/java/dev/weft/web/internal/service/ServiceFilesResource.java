package dev.weft.web.internal.service;

import dev.weft.platform.store.UploadFileRecord;
import dev.weft.platform.store.UploadFileRepository;
import dev.weft.web.internal.auth.Access;
import dev.weft.web.internal.auth.Caller;
import dev.weft.web.internal.auth.Callers;
import dev.weft.web.internal.knowledge.MultipartReader;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * Files under {@code /v1} with an app key: an upload for use in the app's runs, its bytes back,
 * and the end users the uploads name. Another app's or workspace's file answers 404.
 */
@Component(service = ServiceFilesResource.class)
@JakartarsResource
@Path("/v1")
@Access(Access.Kind.APP_KEY)
@Produces(MediaType.APPLICATION_JSON)
public final class ServiceFilesResource {

    static final long MAX_UPLOAD_BYTES = AppParameters.FILE_SIZE_LIMIT_MB * 1024 * 1024;
    private static final Set<String> UPLOADABLE = Set.of("txt", "md", "markdown", "mdx", "pdf", "html", "htm", "xlsx",
            "xls", "docx", "csv", "json", "xml", "eml", "msg", "pptx", "ppt", "epub", "vtt", "properties", "jpg", "jpeg",
            "png", "gif", "webp", "svg", "mp3", "m4a", "wav", "webm", "amr", "mpga", "mp4", "mov", "mpeg");

    private final ServiceApps service;
    private final UploadFileRepository files;

    @Context
    SecurityContext security;

    @Activate
    public ServiceFilesResource(@Reference ServiceApps service, @Reference UploadFileRepository files) {
        this.service = service;
        this.files = files;
    }

    /** Uploads one file ({@code file} part, and the {@code user} field) for use in this app's runs. */
    @POST
    @Path("files/upload")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response upload(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body)
            throws IOException {
        Caller caller = Callers.of(security);
        String boundary;
        try {
            boundary = MediaType.valueOf(contentType).getParameters().get("boundary");
        } catch (IllegalArgumentException | NullPointerException e) {
            boundary = null;
        }
        if (boundary == null) {
            throw new ServiceError(400, "no_file_uploaded", "Please upload your file as multipart/form-data.");
        }
        MultipartReader reader = new MultipartReader(body == null ? InputStream.nullInputStream() : body, boundary,
                MAX_UPLOAD_BYTES + 64 * 1024);
        byte[] content = null;
        String fileName = null;
        String partType = null;
        String user = null;
        try {
            for (MultipartReader.Part part = reader.next(); part != null; part = reader.next()) {
                if (part.name().equals("file")) {
                    if (content != null) {
                        throw new ServiceError(400, "too_many_files", "Only one file is allowed.");
                    }
                    fileName = part.fileName();
                    partType = part.contentType();
                    content = read(part.body());
                } else if (part.name().equals("user")) {
                    user = new String(read(part.body()), java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        } catch (dev.weft.api.core.WeftException e) {
            if (e.code().equals("file_too_large")) {
                throw tooLarge();
            }
            throw new ServiceError(400, "invalid_param", e.getMessage());
        }
        if (content == null) {
            throw new ServiceError(400, "no_file_uploaded", "Please upload your file.");
        }
        if (fileName == null || fileName.isBlank()) {
            throw new ServiceError(400, "filename_not_exists_error", "The specified filename does not exist.");
        }
        String name = fileName.replaceAll("[\\\\/\\p{Cntrl}]", "_");
        if (name.length() > 200) {
            name = name.substring(name.length() - 200);
        }
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (!UPLOADABLE.contains(extension)) {
            throw new ServiceError(415, "unsupported_file_type", "File type not allowed.");
        }
        String mime = partType == null || partType.isBlank() || partType.startsWith("application/octet-stream")
                ? mimeOf(extension) : partType;
        String endUser = user == null || user.isBlank() ? "anonymous" : user;
        String endUserId = service.endUser(caller.workspaceId(), caller.appId(), endUser);
        UploadFileRecord stored = files.create(caller.workspaceId(), caller.appId(), "end_user", endUser, name,
                extension, mime, content);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", stored.id());
        answer.put("name", stored.name());
        answer.put("size", stored.size());
        answer.put("extension", stored.extension());
        answer.put("mime_type", stored.mimeType());
        answer.put("created_by", endUserId);
        answer.put("created_at", stored.createdAt().getEpochSecond());
        answer.put("preview_url", null);
        answer.put("source_url", "/v1/files/" + stored.id() + "/preview");
        return Response.status(201).entity(answer).build();
    }

    /** A file uploaded to this app, as bytes ({@code as_attachment=true} to download it). */
    @GET
    @Path("files/{id}/preview")
    @Produces(MediaType.WILDCARD)
    public Response preview(@PathParam("id") String id, @QueryParam("as_attachment") Boolean attachment) {
        Caller caller = Callers.of(security);
        UploadFileRecord file = files.find(caller.workspaceId(), id).filter(f -> caller.appId().equals(f.appId()))
                .orElseThrow(() -> new ServiceError(404, "file_not_found", "File not found."));
        byte[] content = files.content(caller.workspaceId(), id)
                .orElseThrow(() -> new ServiceError(404, "file_not_found", "File not found."));
        // never rendered as a page of ours: a stored HTML or SVG file must not run script in this origin
        Response.ResponseBuilder response = Response.ok(content, file.mimeType())
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "sandbox");
        if (Boolean.TRUE.equals(attachment) || file.mimeType().contains("html") || file.mimeType().contains("svg")) {
            response.header("Content-Disposition", "attachment; filename=\"" + file.name().replace("\"", "") + "\"");
        }
        return response.build();
    }

    /** One of the app's end users (the {@code created_by} of its uploads and runs), as Dify shows it. */
    @GET
    @Path("end-users/{id}")
    public Map<String, Object> endUser(@PathParam("id") String id) {
        Caller caller = Callers.of(security);
        dev.weft.platform.store.EndUserRecord user = service.endUserById(caller.workspaceId(), caller.appId(), id)
                .orElseThrow(() -> new ServiceError(404, "end_user_not_found", "End user not found."));
        String created = user.createdAt() == null ? null
                : user.createdAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", user.id());
        body.put("tenant_id", user.workspaceId());
        body.put("app_id", user.appId());
        body.put("type", user.type());
        body.put("external_user_id", user.sessionId());
        body.put("name", null);
        body.put("is_anonymous", false);
        body.put("session_id", user.sessionId());
        body.put("created_at", created);
        body.put("updated_at", created);
        return body;
    }

    private static byte[] read(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0;) {
            total += n;
            if (total > MAX_UPLOAD_BYTES) {
                throw tooLarge();
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static ServiceError tooLarge() {
        return new ServiceError(413, "file_too_large", "File size exceeded. " + AppParameters.FILE_SIZE_LIMIT_MB + " MB at most.");
    }

    private static String mimeOf(String extension) {
        return switch (extension) {
            case "txt", "md", "markdown", "mdx", "vtt", "properties" -> "text/plain";
            case "html", "htm" -> "text/html";
            case "csv" -> "text/csv";
            case "json" -> "application/json";
            case "xml" -> "application/xml";
            case "pdf" -> "application/pdf";
            case "docx" -> "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
            case "xlsx" -> "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            case "pptx" -> "application/vnd.openxmlformats-officedocument.presentationml.presentation";
            case "jpg", "jpeg" -> "image/jpeg";
            case "png" -> "image/png";
            case "gif" -> "image/gif";
            case "webp" -> "image/webp";
            case "svg" -> "image/svg+xml";
            case "mp3", "mpga" -> "audio/mpeg";
            case "wav" -> "audio/wav";
            case "m4a" -> "audio/mp4";
            case "mp4" -> "video/mp4";
            default -> "application/octet-stream";
        };
    }
}
