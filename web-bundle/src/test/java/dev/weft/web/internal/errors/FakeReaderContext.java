package dev.weft.web.internal.errors;

import com.fasterxml.jackson.core.JacksonException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;

/** A reader context whose "proceed" runs a read, for testing the interceptor without Jersey. */
final class FakeReaderContext implements ReaderInterceptorContext {

    private final Callable<?> read;

    FakeReaderContext(Callable<?> read) {
        this.read = read;
    }

    @Override
    public Object proceed() throws IOException {
        try {
            return read.call();
        } catch (JacksonException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    @Override
    public InputStream getInputStream() {
        return InputStream.nullInputStream();
    }

    @Override
    public void setInputStream(InputStream is) {
    }

    @Override
    public MultivaluedMap<String, String> getHeaders() {
        return new MultivaluedHashMap<>();
    }

    @Override
    public Object getProperty(String name) {
        return null;
    }

    @Override
    public Collection<String> getPropertyNames() {
        return List.of();
    }

    @Override
    public void setProperty(String name, Object object) {
    }

    @Override
    public void removeProperty(String name) {
    }

    @Override
    public Annotation[] getAnnotations() {
        return new Annotation[0];
    }

    @Override
    public void setAnnotations(Annotation[] annotations) {
    }

    @Override
    public Class<?> getType() {
        return Object.class;
    }

    @Override
    public void setType(Class<?> type) {
    }

    @Override
    public Type getGenericType() {
        return Object.class;
    }

    @Override
    public void setGenericType(Type genericType) {
    }

    @Override
    public MediaType getMediaType() {
        return MediaType.APPLICATION_JSON_TYPE;
    }

    @Override
    public void setMediaType(MediaType mediaType) {
    }
}
