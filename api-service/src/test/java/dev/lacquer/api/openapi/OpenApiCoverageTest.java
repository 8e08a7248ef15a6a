package dev.lacquer.api.openapi;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every REST endpoint the code serves is in /q/openapi, with its errors and security scheme. */
@QuarkusTest
class OpenApiCoverageTest {

    @Test
    void everyEndpointIsDocumented() throws Exception {
        JsonPath spec = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Object>> paths = spec.getMap("paths");
        Set<String> documented = new TreeSet<>();
        paths.forEach((path, operations) -> operations.keySet()
                .forEach(method -> documented.add(method.toUpperCase() + " " + path)));

        Set<String> served = servedEndpoints();
        assertTrue(served.size() >= 15, "found the resources: " + served);
        Set<String> missing = new TreeSet<>(served);
        missing.removeAll(documented);
        assertEquals(Set.of(), missing, "endpoints missing from /q/openapi");

        for (String endpoint : served) {
            String[] parts = endpoint.split(" ", 2);
            Map<String, Object> responses = spec.getMap("paths.'" + parts[1] + "'." + parts[0].toLowerCase() + ".responses");
            assertTrue(responses.containsKey("401") && responses.containsKey("500"), endpoint + " documents its errors");
        }
        assertEquals("bearer", spec.getString("components.securitySchemes.bearer.scheme"));
        assertTrue(spec.getMap("components.schemas").containsKey("Problem"));
        assertTrue(spec.getMap("paths.'/api/generate-nail-design-job'.post.requestBody.content.'application/json'.examples")
                .containsKey("visualize"), "the create request has an example");
    }

    /** Method and path of every JAX-RS resource method under dev.lacquer.api, found by reflection. */
    private static Set<String> servedEndpoints() throws IOException, ClassNotFoundException {
        Set<String> endpoints = new TreeSet<>();
        URL root = OpenApiCoverageTest.class.getClassLoader().getResource("dev/lacquer/api");
        java.nio.file.Path base = Paths.get(java.net.URI.create(root.toString().replace("test-classes", "classes")));
        try (Stream<java.nio.file.Path> files = Files.walk(base)) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = "dev.lacquer.api." + base.relativize(file).toString()
                        .replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, OpenApiCoverageTest.class.getClassLoader());
                Path classPath = type.getAnnotation(Path.class);
                if (classPath == null) {
                    continue;
                }
                for (Method method : type.getDeclaredMethods()) {
                    String verb = verb(method);
                    if (verb != null) {
                        Path methodPath = method.getAnnotation(Path.class);
                        String full = (classPath.value() + (methodPath == null ? "" : "/" + methodPath.value()))
                                .replaceAll("/+", "/").replaceAll("/$", "");
                        endpoints.add(verb + " " + full);
                    }
                }
            }
        }
        return endpoints;
    }

    private static String verb(Method method) {
        if (method.isAnnotationPresent(GET.class)) {
            return "GET";
        }
        if (method.isAnnotationPresent(POST.class)) {
            return "POST";
        }
        if (method.isAnnotationPresent(PUT.class)) {
            return "PUT";
        }
        if (method.isAnnotationPresent(DELETE.class)) {
            return "DELETE";
        }
        return null;
    }
}
