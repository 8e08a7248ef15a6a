package dev.lacquer.api.job.rest;

import dev.lacquer.model.DesignSettings;

/**
 * Body of {@code POST /api/generate-nail-design-job}, as the seed's client sends it.
 *
 * @param prompt         what the user wrote, 1–1000 characters after trimming
 * @param originalImage  the hand photo as a data URL (PNG, JPEG or WebP)
 * @param designSettings optional shape, length, finish, colours and style
 * @param imageCount     designs to generate, 1–4 (default 2)
 */
public record CreateJobRequest(String prompt, String originalImage, DesignSettings designSettings, Integer imageCount) {
}
