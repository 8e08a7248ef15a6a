package dev.lacquer.api.openapi;

import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Completes /q/openapi in one place: what every operation can answer besides success (the
 * problem+json errors of RFC 9457), the bearer security scheme (the cron endpoint takes its own
 * secret), and examples of the create request and its answer.
 */
public class ApiContractFilter implements OASFilter {

    private static final String PROBLEM_REF = "#/components/schemas/Problem";
    private static final Map<String, String> COMMON = Map.of(
            "400", "Invalid request: see `errors` for the fields",
            "401", "Missing, expired or invalid bearer token",
            "404", "Not found, or not yours",
            "429", "Too many requests; retry after `Retry-After` seconds",
            "500", "Unexpected error; quote `errorId` to support",
            "503", "A dependency is briefly unavailable; retry after Retry-After seconds");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema("Problem", problemSchema());
        openAPI.getComponents().addSecurityScheme("bearer", OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                .description("An OIDC access token from the configured issuer (audience lacquer-api)."));
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
            if (path.equals("/api/generate-nail-design-job") && method.name().equals("POST")) {
                addCreateExamples(operation);
            }
            if (path.startsWith("/api/")) {
                addProblems(operation, path.startsWith("/api/admin"));
                if (!path.equals("/api/process-generation-jobs") && !path.equals("/api/client-config")) {
                    operation.setSecurity(java.util.List.of(OASFactory.createSecurityRequirement().addScheme("bearer")));
                }
            }
        }));
    }

    private static void addCreateExamples(Operation operation) {
        if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
            var json = operation.getRequestBody().getContent().getMediaType("application/json");
            if (json != null) {
                json.addExample("visualize", OASFactory.createExample().summary("A hand photo and a prompt")
                        .value(Map.of("prompt", "glazed donut chrome with tiny pearls", "imageCount", 2,
                                "designSettings", Map.of("shape", "almond", "length", "medium", "finish", "chrome",
                                        "colors", java.util.List.of("#f4e1d2", "#c0c0ff")),
                                "originalImage", "data:image/jpeg;base64,/9j/4AAQSkZJRg...")));
            }
        }
        if (operation.getResponses() != null && operation.getResponses().hasAPIResponse("202")) {
            var accepted = operation.getResponses().getAPIResponse("202");
            if (accepted.getContent() != null && accepted.getContent().getMediaType("application/json") != null) {
                accepted.getContent().getMediaType("application/json").addExample("accepted",
                        OASFactory.createExample().value(Map.of("jobId", "0b6f7c1e-3f0a-4a43-9d0e-6a1f2b3c4d5e",
                                "status", "pending")));
            }
        }
    }

    private static void addProblems(Operation operation, boolean admin) {
        APIResponses responses = operation.getResponses() == null ? OASFactory.createAPIResponses()
                : operation.getResponses();
        COMMON.forEach((status, description) -> addIfAbsent(responses, status, description));
        if (admin) {
            addIfAbsent(responses, "403", "The admin role is required");
        }
        operation.setResponses(responses);
    }

    private static void addIfAbsent(APIResponses responses, String status, String description) {
        if (responses.hasAPIResponse(status)) {
            return;
        }
        Content content = OASFactory.createContent().addMediaType("application/problem+json",
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_REF)));
        responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description).content(content));
    }

    private static Schema problemSchema() {
        Schema string = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        Schema fieldError = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("field", string).addProperty("message", string);
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("RFC 9457 problem details")
                .addProperty("type", string).addProperty("title", string)
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
                .addProperty("detail", string).addProperty("instance", string)
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(fieldError))
                .addProperty("errorId", string)
                .addProperty("needed", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER)
                        .description("insufficient credits: what the request needed"))
                .addProperty("available", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER)
                        .description("insufficient credits: what the user had available"));
    }
}
