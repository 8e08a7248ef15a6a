package dev.lacquer.api.photo;

import java.io.ByteArrayOutputStream;
import java.util.Optional;

/**
 * Removes the metadata segments of a JPEG without touching its image data: APP1 (EXIF with its GPS
 * position, XMP), APP2 (ICC profile, FlashPix), APP3–APP13, APP15 and comments. APP0 (JFIF) and
 * APP14 (Adobe: how the colour components are to be read) stay, as do the tables and the scans.
 */
final class JpegMetadata {

    private static final int MARKER = 0xFF;
    private static final int SOI = 0xD8;
    private static final int SOS = 0xDA;
    private static final int APP0 = 0xE0;
    private static final int APP14 = 0xEE;
    private static final int APP15 = 0xEF;
    private static final int COM = 0xFE;

    private JpegMetadata() {
    }

    /** The JPEG without its metadata segments; empty when its header is not what this reader expects. */
    static Optional<byte[]> strip(byte[] jpeg) {
        if (jpeg.length < 4 || (jpeg[0] & 0xFF) != MARKER || (jpeg[1] & 0xFF) != SOI) {
            return Optional.empty();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length);
        out.write(jpeg, 0, 2);
        int at = 2;
        while (at + 4 <= jpeg.length) {
            if ((jpeg[at] & 0xFF) != MARKER) {
                return Optional.empty();
            }
            int marker = jpeg[at + 1] & 0xFF;
            if (marker == MARKER) {
                at++; // fill byte
                continue;
            }
            if (marker == SOS) {
                out.write(jpeg, at, jpeg.length - at);
                return Optional.of(out.toByteArray());
            }
            if (marker == SOI || (marker >= 0xD0 && marker <= 0xD9) || marker == 0x01) {
                return Optional.empty(); // no length follows these before the first scan: not expected here
            }
            int length = ((jpeg[at + 2] & 0xFF) << 8) | (jpeg[at + 3] & 0xFF);
            if (length < 2 || at + 2 + length > jpeg.length) {
                return Optional.empty();
            }
            if (!isMetadata(marker)) {
                out.write(jpeg, at, 2 + length);
            }
            at += 2 + length;
        }
        return Optional.empty();
    }

    private static boolean isMetadata(int marker) {
        return marker == COM || (marker > APP0 && marker <= APP15 && marker != APP14);
    }
}
