package dev.lacquer.api.photo;

/**
 * Reads the EXIF orientation tag (0x0112) a camera writes instead of turning the pixels: from a JPEG's APP1 segment,
 * a PNG's {@code eXIf} chunk or a WebP's {@code EXIF} chunk. 1 means upright; 2–8 are the TIFF orientations. Anything
 * unreadable counts as 1: a photo is never refused for its metadata.
 */
final class ExifOrientation {

    static final int UPRIGHT = 1;
    private static final int ORIENTATION_TAG = 0x0112;

    private ExifOrientation() {
    }

    static int of(byte[] b, String contentType) {
        try {
            int tiff = switch (contentType) {
                case ImageFormats.JPEG -> jpegTiffStart(b);
                case ImageFormats.PNG -> pngTiffStart(b);
                case ImageFormats.WEBP -> webpTiffStart(b);
                default -> -1;
            };
            return tiff < 0 ? UPRIGHT : orientation(b, tiff);
        } catch (IndexOutOfBoundsException e) {
            return UPRIGHT;
        }
    }

    /** JPEG: segments after SOI until the image data; APP1 holding {@code Exif\0\0} then the TIFF structure. */
    private static int jpegTiffStart(byte[] b) {
        int at = 2;
        while (at + 4 <= b.length && (b[at] & 0xff) == 0xff) {
            int marker = b[at + 1] & 0xff;
            if (marker == 0xff) {
                at++;
                continue;
            }
            if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
                at += 2;
                continue;
            }
            if (marker == 0xda || marker == 0xd9) {
                return -1;
            }
            int length = u16(b, at + 2, false);
            if (marker == 0xe1 && length >= 8 && startsWith(b, at + 4, "Exif\0\0")) {
                return at + 10;
            }
            at += 2 + length;
        }
        return -1;
    }

    /** PNG: chunks after the signature; {@code eXIf} holds the TIFF structure itself. */
    private static int pngTiffStart(byte[] b) {
        int at = 8;
        while (at + 8 <= b.length) {
            long length = u32(b, at, false);
            if (startsWith(b, at + 4, "eXIf")) {
                return at + 8;
            }
            if (startsWith(b, at + 4, "IEND") || length > b.length) {
                return -1;
            }
            at += 12 + (int) length;
        }
        return -1;
    }

    /** WebP: RIFF chunks after the header; {@code EXIF} holds the TIFF structure, some writers prefix {@code Exif\0\0}. */
    private static int webpTiffStart(byte[] b) {
        int at = 12;
        while (at + 8 <= b.length) {
            long size = u32(b, at + 4, true);
            if (startsWith(b, at, "EXIF")) {
                int data = at + 8;
                return startsWith(b, data, "Exif\0\0") ? data + 6 : data;
            }
            if (size > b.length) {
                return -1;
            }
            at += 8 + (int) size + (int) (size & 1);
        }
        return -1;
    }

    /** The orientation entry of IFD0 of the TIFF structure at {@code tiff}. */
    private static int orientation(byte[] b, int tiff) {
        boolean little;
        if (b[tiff] == 'I' && b[tiff + 1] == 'I') {
            little = true;
        } else if (b[tiff] == 'M' && b[tiff + 1] == 'M') {
            little = false;
        } else {
            return UPRIGHT;
        }
        if (u16(b, tiff + 2, little) != 42) {
            return UPRIGHT;
        }
        long ifd = tiff + u32(b, tiff + 4, little);
        if (ifd + 2 > b.length) {
            return UPRIGHT;
        }
        int entries = u16(b, (int) ifd, little);
        for (int i = 0; i < entries; i++) {
            int entry = (int) ifd + 2 + i * 12;
            if (u16(b, entry, little) == ORIENTATION_TAG) {
                int value = u16(b, entry + 8, little);
                return value >= 1 && value <= 8 ? value : UPRIGHT;
            }
        }
        return UPRIGHT;
    }

    private static boolean startsWith(byte[] b, int at, String ascii) {
        if (at < 0 || at + ascii.length() > b.length) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (b[at + i] != (byte) ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int u16(byte[] b, int at, boolean little) {
        int first = b[at] & 0xff;
        int second = b[at + 1] & 0xff;
        return little ? first | second << 8 : first << 8 | second;
    }

    private static long u32(byte[] b, int at, boolean little) {
        long value = 0;
        for (int i = 0; i < 4; i++) {
            int octet = b[at + (little ? 3 - i : i)] & 0xff;
            value = value << 8 | octet;
        }
        return value;
    }
}
