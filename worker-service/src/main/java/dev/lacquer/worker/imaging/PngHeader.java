package dev.lacquer.worker.imaging;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * What a PNG's chunks before its image data say about it, read without decoding a pixel: its size, and whether
 * every pixel is opaque (grey, RGB or palette colour type and no {@code tRNS} chunk).
 */
record PngHeader(int width, int height, boolean opaque) {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final int IHDR = chunkType("IHDR");
    private static final int TRNS = chunkType("tRNS");
    private static final int IDAT = chunkType("IDAT");
    private static final int GREY = 0;
    private static final int RGB = 2;
    private static final int PALETTE = 3;

    /** The header of PNG bytes, or empty when they are not a well-formed PNG up to its first image data. */
    static Optional<PngHeader> of(byte[] bytes) {
        if (bytes == null || bytes.length < SIGNATURE.length + 25
                || !Arrays.equals(bytes, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
            return Optional.empty();
        }
        ByteBuffer png = ByteBuffer.wrap(bytes);
        int at = SIGNATURE.length;
        if (png.getInt(at) != 13 || png.getInt(at + 4) != IHDR) {
            return Optional.empty();
        }
        int width = png.getInt(at + 8);
        int height = png.getInt(at + 12);
        int colourType = bytes[at + 17];
        boolean opaque = colourType == GREY || colourType == RGB || colourType == PALETTE;
        // Chunks follow as length, type, data, CRC; tRNS (transparency) must come before the first IDAT.
        while (at + 8 <= bytes.length) {
            long length = Integer.toUnsignedLong(png.getInt(at));
            int type = png.getInt(at + 4);
            if (type == IDAT) {
                return width > 0 && height > 0 ? Optional.of(new PngHeader(width, height, opaque)) : Optional.empty();
            }
            if (type == TRNS) {
                opaque = false;
            }
            long next = at + 12 + length;
            if (next > bytes.length) {
                return Optional.empty();
            }
            at = (int) next;
        }
        return Optional.empty();
    }

    private static int chunkType(String name) {
        return ByteBuffer.wrap(name.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).getInt();
    }
}
