package dev.lacquer.worker.generation.openai;

import dev.lacquer.model.ErrorCode;
import dev.lacquer.model.event.ModelOptions;
import dev.lacquer.worker.generation.DesignGenerator;
import dev.lacquer.worker.generation.DesignRequest;
import dev.lacquer.worker.generation.GeneratedDesigns;
import dev.lacquer.worker.generation.GeneratedDesigns.GeneratedImage;
import dev.lacquer.worker.generation.GenerationException;
import dev.lacquer.worker.imaging.Images;
import dev.lacquer.worker.imaging.UnreadableImageException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Generator {@code openai}: one image edit call per job with the user's photo and the prompt composed by the
 * versioned template, {@code n} = the job's image count. Failures leave as {@link GenerationException} with the codes
 * {@link ProviderFailure.Kind} names.
 */
@ApplicationScoped
public class OpenAiDesignGenerator implements DesignGenerator {

    public static final String NAME = "openai";

    private final OpenAiImages images;
    private final OpenAiConfig config;

    OpenAiDesignGenerator(OpenAiImages images, OpenAiConfig config) {
        this.images = images;
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GeneratedDesigns generate(DesignRequest request) throws InterruptedException {
        String type = PhotoTypes.sniff(request.photo().bytes());
        if (type == null) {
            throw GenerationException.invalidInput("the photo is not a PNG, JPEG or WebP image");
        }
        ModelOptions options = request.modelOptions();
        String version = or(options.promptTemplateVersion(), config.promptTemplate());
        String model = or(options.model(), config.model());
        String prompt = PromptTemplates.compose(version, request.prompt(), request.settings());
        Log.debugf("job %s: prompt %s: %s", request.jobId(), version, prompt);
        ImageEdit edit = new ImageEdit(request.jobId(), request.photo().bytes(), type, prompt, request.imageCount(),
                model, or(options.size(), config.size()), or(options.quality(), config.quality()));

        EditedImages edited;
        try {
            edited = images.edit(edit);
        } catch (ProviderFailure failure) {
            throw failure.toGenerationException();
        }
        List<GeneratedImage> designs = new ArrayList<>();
        for (byte[] bytes : edited.images()) {
            designs.add(png(bytes, edited.requestId()));
            request.listener().imageGenerated(designs.size());
        }
        return new GeneratedDesigns(designs, model, version, edited.usage(), edited.requestId());
    }

    /** The image as PNG: kept as it is when it already is one (output_format=png), re-encoded otherwise. */
    private static GeneratedImage png(byte[] bytes, String requestId) {
        BufferedImage image;
        try {
            image = Images.read(bytes);
        } catch (UnreadableImageException e) {
            throw new GenerationException(ErrorCode.PROVIDER_UNAVAILABLE, true,
                    "OpenAI answered an image that cannot be decoded, request " + requestId);
        }
        byte[] png = PhotoTypes.PNG.equals(PhotoTypes.sniff(bytes)) ? bytes : Images.png(image);
        return new GeneratedImage(png, image.getWidth(), image.getHeight());
    }

    private static String or(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
