package dev.lacquer.api.job.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacquer.api.problem.Problem.FieldError;
import dev.lacquer.model.DesignSettings;
import java.util.ArrayList;
import java.util.List;
import org.jboss.resteasy.reactive.PartType;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * {@code POST /api/generate-nail-design-job} as {@code multipart/form-data}: the same fields as the JSON body, with
 * {@code designSettings} as JSON text and the photo as the file part {@code originalImage}.
 */
public class CreateJobForm {

    @RestForm
    @PartType("text/plain")
    public String prompt;

    /** JSON text, for example {@code {"shape":"almond","colors":["#ff3366"]}}. */
    @RestForm
    @PartType("text/plain")
    public String designSettings;

    @RestForm
    @PartType("text/plain")
    public String imageCount;

    @RestForm("originalImage")
    public FileUpload originalImage;

    /** The form's text fields read as the JSON form's, with an error for each that cannot be read. */
    Fields read(ObjectMapper json) {
        List<FieldError> errors = new ArrayList<>();
        DesignSettings settings = null;
        if (designSettings != null && !designSettings.isBlank()) {
            try {
                settings = json.readValue(designSettings, DesignSettings.class);
            } catch (JsonProcessingException e) {
                errors.add(new FieldError("designSettings", "must be a JSON object of design settings"));
            }
        }
        Integer count = null;
        if (imageCount != null && !imageCount.isBlank()) {
            try {
                count = Integer.valueOf(imageCount.strip());
            } catch (NumberFormatException e) {
                errors.add(new FieldError("imageCount", "must be a whole number"));
            }
        }
        return new Fields(prompt, settings, count, errors);
    }

    record Fields(String prompt, DesignSettings designSettings, Integer imageCount, List<FieldError> errors) {
    }
}
