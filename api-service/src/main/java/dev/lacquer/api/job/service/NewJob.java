package dev.lacquer.api.job.service;

import dev.lacquer.api.photo.Photo;
import dev.lacquer.model.DesignSettings;

/** A validated create request: everything a job is made from. */
public record NewJob(String prompt, DesignSettings designSettings, int imageCount, Photo photo) {
}
