package dev.lacquer.api.config;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Jackson refuses strings over 20 M characters by default; a photo of the largest accepted size
 * is about 27 M characters of base64. The HTTP body limit still bounds what is read at all.
 */
@Singleton
public class JsonLimits implements ObjectMapperCustomizer {

    static final int MAX_STRING_LENGTH = 40_000_000;

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxStringLength(MAX_STRING_LENGTH).build());
    }
}
