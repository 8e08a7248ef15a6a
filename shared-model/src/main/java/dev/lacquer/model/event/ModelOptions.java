package dev.lacquer.model.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How the model is asked: which model, output size and quality, and which version of the
 * prompt template composes the prompt. Null fields take the worker's configured defaults.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelOptions(String model, String size, String quality, String promptTemplateVersion) {

    public static ModelOptions defaults() {
        return new ModelOptions(null, null, null, null);
    }
}
