package dev.lacquer.api.photo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lacquer.api.problem.ApiProblem;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** Normalisation of real files of each format, without the HTTP layer. */
class PhotoNormalizerTest {

    private final PhotoNormalizer normalizer = new PhotoNormalizer(new PhotoConfig() {
        @Override
        public int maxSide() {
            return 1536;
        }

        @Override
        public float jpegQuality() {
            return 0.9f;
        }

        @Override
        public long maxPixels() {
            return 40_000_000L;
        }
    });

    @Test
    void orientationIsReadFromJpegPngAndWebp() {
        assertEquals(6, ExifOrientation.of(PhotoFixtures.read("hand-exif6.jpg"), ImageFormats.JPEG));
        assertEquals(8, ExifOrientation.of(PhotoFixtures.read("hand-exif8.png"), ImageFormats.PNG));
        assertEquals(3, ExifOrientation.of(PhotoFixtures.read("hand-exif3.webp"), ImageFormats.WEBP));
        assertEquals(1, ExifOrientation.of(PhotoFixtures.read("hand.webp"), ImageFormats.WEBP));
        assertEquals(1, ExifOrientation.of(PhotoFixtures.png(10, 10), ImageFormats.PNG));
    }

    @Test
    void rotatedJpegComesOutUprightWithSwappedDimensionsAndWithoutMetadata() {
        Photo photo = normalizer.normalize(PhotoFixtures.read("hand-exif6.jpg"), ImageFormats.JPEG);
        assertEquals(ImageFormats.JPEG, photo.contentType());
        assertEquals(ImageFormats.JPEG, ImageFormats.sniff(photo.bytes()));
        BufferedImage image = PhotoFixtures.decode(photo.bytes());
        assertEquals(300, image.getWidth());
        assertEquals(400, image.getHeight());
        // Orientation 6 means "turn 90° clockwise to view": the stored top-left corner is now the top-right.
        assertTrue(PhotoFixtures.red(image, 270, 20), "red block top-right");
        assertTrue(PhotoFixtures.blue(image, 20, 380), "blue block bottom-left");
        assertEquals(1, ExifOrientation.of(photo.bytes(), ImageFormats.JPEG), "no orientation left to apply twice");
        assertTrue(!new String(photo.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1).contains("Exif"),
                "EXIF (with the GPS position) is not stored");
    }

    @Test
    void pngWithOrientation8IsTurnedCounterClockwiseAndStaysPng() {
        Photo photo = normalizer.normalize(PhotoFixtures.read("hand-exif8.png"), ImageFormats.PNG);
        assertEquals(ImageFormats.PNG, photo.contentType());
        BufferedImage image = PhotoFixtures.decode(photo.bytes());
        assertEquals(300, image.getWidth());
        assertEquals(400, image.getHeight());
        assertTrue(PhotoFixtures.red(image, 20, 380), "red block bottom-left");
        assertTrue(PhotoFixtures.blue(image, 280, 20), "blue block top-right");
    }

    @Test
    void webpIsDecodedTurnedAndStoredAsJpeg() {
        Photo plain = normalizer.normalize(PhotoFixtures.read("hand.webp"), ImageFormats.WEBP);
        assertEquals(ImageFormats.JPEG, plain.contentType());
        BufferedImage image = PhotoFixtures.decode(plain.bytes());
        assertEquals(320, image.getWidth());
        assertEquals(240, image.getHeight());
        Photo turned = normalizer.normalize(PhotoFixtures.read("hand-exif3.webp"), ImageFormats.WEBP);
        BufferedImage upsideDown = PhotoFixtures.decode(turned.bytes());
        assertEquals(320, upsideDown.getWidth());
        assertEquals(240, upsideDown.getHeight());
    }

    @Test
    void uprightJpegWithinLimitsIsStoredAsUploadedWithoutItsMetadata() throws Exception {
        byte[] plain = jpeg(400, 300);
        byte[] withMetadata = withSegments(plain,
                segment(0xE1, "Exif\0\0MM\0*\0\0\0\b\0\0"),
                segment(0xFE, "GPSLatitude 48.8584 N"));
        Photo photo = normalizer.normalize(withMetadata, ImageFormats.JPEG);
        assertEquals(ImageFormats.JPEG, photo.contentType());
        String stored = new String(photo.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(!stored.contains("Exif") && !stored.contains("GPSLatitude"), "metadata removed");
        assertTrue(java.util.Arrays.equals(plain, photo.bytes()), "the image data is the uploaded one, not re-encoded");
        BufferedImage image = PhotoFixtures.decode(photo.bytes());
        assertEquals(400, image.getWidth());
        assertEquals(300, image.getHeight());
    }

    private static byte[] jpeg(int width, int height) throws java.io.IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = image.createGraphics();
        g.setColor(java.awt.Color.PINK);
        g.fillRect(0, 0, width, height);
        g.dispose();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }

    private static byte[] segment(int marker, String content) {
        byte[] body = content.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] segment = new byte[4 + body.length];
        segment[0] = (byte) 0xFF;
        segment[1] = (byte) marker;
        segment[2] = (byte) ((body.length + 2) >> 8);
        segment[3] = (byte) (body.length + 2);
        System.arraycopy(body, 0, segment, 4, body.length);
        return segment;
    }

    /** The JPEG with the segments inserted right after its start-of-image marker. */
    private static byte[] withSegments(byte[] jpeg, byte[]... segments) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        for (byte[] segment : segments) {
            out.writeBytes(segment);
        }
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    @Test
    void largePhotoIsScaledToTheLongestSide() {
        Photo photo = normalizer.normalize(PhotoFixtures.png(3000, 2000), ImageFormats.PNG);
        BufferedImage image = PhotoFixtures.decode(photo.bytes());
        assertEquals(1536, image.getWidth());
        assertEquals(1024, image.getHeight());
        Photo small = normalizer.normalize(PhotoFixtures.png(640, 480), ImageFormats.PNG);
        assertEquals(640, PhotoFixtures.decode(small.bytes()).getWidth(), "never scaled up");
    }

    @Test
    void truncatedPngAndJpegAreRefusedAs400() throws Exception {
        ApiProblem png = assertThrows(ApiProblem.class,
                () -> normalizer.normalize(PhotoFixtures.truncated(PhotoFixtures.png(400, 300)), ImageFormats.PNG));
        assertEquals(400, png.status());
        ApiProblem jpeg = assertThrows(ApiProblem.class, () -> normalizer.normalize(
                PhotoFixtures.truncated(PhotoFixtures.read("hand-exif6.jpg")), ImageFormats.JPEG));
        assertEquals(400, jpeg.status());
        // An upright JPEG within the limits is stored as uploaded, but only once it decodes whole.
        byte[] uprightJpeg = PhotoFixtures.truncated(jpeg(400, 300));
        ApiProblem storable = assertThrows(ApiProblem.class,
                () -> normalizer.normalize(uprightJpeg, ImageFormats.JPEG));
        assertEquals(400, storable.status());
        ApiProblem webp = assertThrows(ApiProblem.class, () -> normalizer.normalize(
                PhotoFixtures.truncated(PhotoFixtures.read("hand.webp")), ImageFormats.WEBP));
        assertEquals(400, webp.status());
    }

    @Test
    void tooManyPixelsAreRefusedAs413BeforeDecoding() {
        // A valid PNG header claiming 8000×8000 pixels (64 MP, above the 40 MP limit here), with no pixel data.
        byte[] header = PhotoFixtures.png(8, 8);
        java.nio.ByteBuffer.wrap(header, 16, 8).putInt(8000).putInt(8000);
        ApiProblem problem = assertThrows(ApiProblem.class, () -> normalizer.normalize(header, ImageFormats.PNG));
        assertEquals(413, problem.status());
    }
}
