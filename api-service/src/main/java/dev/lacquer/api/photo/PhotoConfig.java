package dev.lacquer.api.photo;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How a user's photo is normalised before it is stored, under {@code lacquer.photos} (environment:
 * {@code LACQUER_PHOTOS_MAX_SIDE} and so on). The byte limit is {@code lacquer.jobs.max-photo-bytes}.
 */
@ConfigMapping(prefix = "lacquer.photos")
public interface PhotoConfig {

    /** The longest side of a stored photo, in pixels; larger photos are scaled down (what the model can use). */
    @WithDefault("1536")
    int maxSide();

    /** JPEG quality of stored photos, 0–1. */
    @WithDefault("0.9")
    float jpegQuality();

    /** Photos with more pixels than this are refused (413) before they are decoded. */
    @WithDefault("100000000")
    long maxPixels();
}
