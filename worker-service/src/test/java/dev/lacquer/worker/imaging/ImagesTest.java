package dev.lacquer.worker.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImagesTest {

    @Test
    void anOpaquePngWithinTheSizeIsItsOwnThumbnail() {
        byte[] png = Images.png(picture(200, 120, BufferedImage.TYPE_INT_RGB, 0xFF336699));
        assertSame(png, Images.pngThumbnail(png, 256));
        assertEquals(new PngHeader(200, 120, true), PngHeader.of(png).orElseThrow());
    }

    @Test
    void aLargerPngIsScaledToFit() {
        byte[] png = Images.png(picture(1024, 512, BufferedImage.TYPE_INT_RGB, 0xFF336699));
        BufferedImage thumbnail = Images.read(Images.pngThumbnail(png, 256));
        assertEquals(256, thumbnail.getWidth());
        assertEquals(128, thumbnail.getHeight());
        assertEquals(0x336699, thumbnail.getRGB(100, 60) & 0xFFFFFF);
    }

    @Test
    void aPngWithTransparencyIsFlattenedOntoWhiteEvenWhenSmall() throws Exception {
        byte[] png = encodedByImageIo(picture(64, 64, BufferedImage.TYPE_INT_ARGB, 0x00000000));
        assertEquals(new PngHeader(64, 64, false), PngHeader.of(png).orElseThrow());
        byte[] thumbnail = Images.pngThumbnail(png, 256);
        assertNotSame(png, thumbnail);
        BufferedImage decoded = Images.read(thumbnail);
        assertEquals(64, decoded.getWidth());
        assertEquals(0xFFFFFF, decoded.getRGB(10, 10) & 0xFFFFFF);
        assertTrue(PngHeader.of(thumbnail).orElseThrow().opaque());
    }

    @Test
    void bytesThatAreNoPngHaveNoHeaderAndNoThumbnail() {
        assertTrue(PngHeader.of(new byte[] {1, 2, 3}).isEmpty());
        byte[] png = Images.png(picture(16, 16, BufferedImage.TYPE_INT_RGB, 0xFF000000));
        assertTrue(PngHeader.of(Arrays.copyOf(png, 30)).isEmpty(), "cut before its image data");
        assertThrows(UnreadableImageException.class, () -> Images.pngThumbnail(new byte[] {1, 2, 3}, 256));
    }

    private static BufferedImage picture(int width, int height, int type, int argb) {
        BufferedImage image = new BufferedImage(width, height, type);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, argb);
            }
        }
        return image;
    }

    private static byte[] encodedByImageIo(BufferedImage image) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
