package dev.lacquer.api.photo;

import dev.lacquer.api.config.LacquerConfig;
import dev.lacquer.api.problem.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Base64;

/**
 * Reads the photo a client sends as a data URL ({@code data:image/png;base64,...}). The real
 * format comes from the bytes' signature, never from the declared type: PNG, JPEG and WebP are
 * accepted. The API never fetches a URL a client supplies; images arrive as bytes.
 */
@ApplicationScoped
public class PhotoDecoder {

    private final long maxBytes;

    PhotoDecoder(LacquerConfig config) {
        this.maxBytes = config.jobs().maxPhotoBytes();
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
        return new Photo(bytes, type);
    }

    private ApiProblem tooLarge() {
        return ApiProblem.tooLarge("The photo is larger than " + (maxBytes / (1024 * 1024)) + " MB.");
    }
}
