package dev.lacquer.api.photo;

/** A user's photo as bytes, with the content type read from the bytes themselves. */
public record Photo(byte[] bytes, String contentType) {
}
