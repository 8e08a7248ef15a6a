package dev.lacquer.api.job.repository;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Locale;

@Converter(autoApply = true)
public class JobStatusConverter implements AttributeConverter<JobStatus, String> {

    @Override
    public String convertToDatabaseColumn(JobStatus status) {
        return status == null ? null : status.wire();
    }

    @Override
    public JobStatus convertToEntityAttribute(String value) {
        return value == null ? null : JobStatus.valueOf(value.toUpperCase(Locale.ROOT));
    }
}
