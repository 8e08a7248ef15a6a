package dev.lacquer.api.photo;

import dev.lacquer.api.config.LacquerConfig;
import dev.lacquer.api.problem.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Reads the photo a client sends, as a data URL in JSON ({@code data:image/png;base64,...}) or as a file part of a
 * multipart form, and normalises it ({@link PhotoNormalizer}). The checks run in this order and before anything is
 * stored or reserved: more than {@code lacquer.jobs.max-photo-bytes} → 413; not PNG, JPEG or WebP by its leading
 * bytes (never by the declared type) → 415; damaged or incomplete → 400. The API never fetches a URL a client
 * supplies; images arrive as bytes.
 */
@ApplicationScoped
public class PhotoDecoder {

    private final long maxBytes;
    private final PhotoNormalizer normalizer;

    PhotoDecoder(LacquerConfig config, PhotoNormalizer normalizer) {
        this.maxBytes = config.jobs().maxPhotoBytes();
        this.normalizer = normalizer;
    }

    public Photo fromDataUrl(String dataUrl) {
        if (dataUrl == null || dataUrl.isBlank()) {
            throw ApiProblem.badRequest("originalImage is required: a data URL of a PNG, JPEG or WebP photo.");
        }
        int comma = dataUrl.indexOf(',');
        if (!dataUrl.startsWith("data:") || comma < 0 || !dataUrl.substring(0, comma).endsWith(";base64")) {
            throw ApiProblem.badRequest("originalImage must be a base64 data URL (data:image/png;base64,...).");
        }
        long approxBytes = (long) (dataUrl.length() - comma - 1) * 3 / 4;
        if (approxBytes > maxBytes) {
            throw tooLarge();
        }
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(dataUrl.substring(comma + 1));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("originalImage is not valid base64.");
        }
        return fromBytes(bytes);
    }

    /** An uploaded file: its size is checked before it is read. */
    public Photo fromFile(Path file, long size) {
        if (size > maxBytes) {
            throw tooLarge();
        }
        try {
            return fromBytes(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("the uploaded photo could not be read", e);
        }
    }

    public Photo fromBytes(byte[] bytes) {
        if (bytes.length > maxBytes) {
            throw tooLarge();
        }
        if (bytes.length == 0) {
            throw ApiProblem.badRequest("The photo is empty.");
        }
        String type = ImageFormats.sniff(bytes);
        if (type == null) {
            throw ApiProblem.unsupportedMediaType("The photo must be a PNG, JPEG or WebP image.");
        }
        return normalizer.normalize(bytes, type);
    }

    private ApiProblem tooLarge() {
        return ApiProblem.tooLarge("The photo is larger than " + (maxBytes / (1024 * 1024)) + " MB.");
    }
}
