package dev.lacquer.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lacquer.model.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.yaml.snakeyaml.Yaml;

/**
 * Keeps docker-compose.yml and k8s/ honest without Docker or a cluster: the files are parsed (and every Kustomize
 * overlay rendered with {@code kubectl kustomize}) and checked against what the services really read, taken from
 * their application.properties ({@code ${NAME:default}}), and against the topics of {@link Topics}.
 * <p>
 * What each check catches: a variable the services would ignore (typo, renamed property); a missing address of a
 * dependency, which would leave the loopback default (the container itself); a dependency that is absent, not
 * waited for, or reached on a port it does not listen on; a health check or probe on the wrong port or path; a
 * floating image tag; a ConfigMap or Secret key that a pod references but nobody defines (the pod would not
 * start); a container that runs as root or with a writable root file system; a topic without its KafkaTopic, or
 * with the wrong partitions or retention; an autoscaler past the partition count; a Secret template holding more
 * than placeholders.
 */
class DeploymentManifestsTest {

    private static final Path ROOT = Path.of(System.getProperty("lacquer.root", "..")).toAbsolutePath().normalize();
    private static final Map<String, String> MODULES = Map.of("api", "api-service", "worker", "worker-service");
    /** Read by run-java.sh in the UBI OpenJDK base image of src/main/docker/Dockerfile.jvm, not by Quarkus. */
    private static final Set<String> CONTAINER_RUNTIME_ENV = Set.of("JAVA_OPTS_APPEND", "JAVA_MAX_MEM_RATIO",
            "JAVA_INITIAL_MEM_RATIO");
    private static final Map<String, Integer> PARTITIONS = Map.of(Topics.REQUESTS, 6, Topics.EVENTS, 6,
            Topics.REQUESTS_DLQ, 1, Topics.EVENTS_DLQ, 1);
    private static final long SEVEN_DAYS_MS = 7L * 24 * 3600 * 1000;
    private static final long THIRTY_DAYS_MS = 30L * 24 * 3600 * 1000;
    /** Loopback defaults that are browser origins, not servers the service calls: set, but may stay local. */
    private static final Set<String> BROWSER_ORIGINS = Set.of("LACQUER_CORS_ORIGINS");
    private static final Pattern HOST_PORT = Pattern.compile("(?:^|//|@|,)([a-z][a-z0-9.-]*):(\\d+)");

    // ---------------------------------------------------------------------------------------------------------
    // What the services read

    /** Environment variables a service reads: {@code ${NAME}} in its properties, plus each key's env form. */
    static Set<String> readableEnv(String service) {
        String properties = properties(service);
        Set<String> names = new TreeSet<>(CONTAINER_RUNTIME_ENV);
        Matcher m = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)").matcher(properties);
        while (m.find()) {
            names.add(m.group(1));
        }
        // Quarkus maps e.g. QUARKUS_HTTP_HOST to quarkus.http.host: any property the file sets may come from the env.
        for (String key : propertyKeys(properties)) {
            names.add(key.toUpperCase().replaceAll("[^A-Z0-9]", "_"));
        }
        return names;
    }

    /**
     * Variables whose default is a loopback address: in a container they must be set, and (except browser origins)
     * point at the real server, since loopback there is the container itself.
     */
    static Set<String> addressEnv(String service) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Z0-9_]+):([^}]*)}").matcher(properties(service));
        while (m.find()) {
            if (m.group(2).contains("127.0.0.1") || m.group(2).contains("localhost")) {
                names.add(m.group(1));
            }
        }
        names.remove("OTEL_EXPORTER_OTLP_ENDPOINT"); // only used when tracing is switched on
        return names;
    }

    /** Variables the prod profile requires: {@code %prod.x=${NAME}} without a default. */
    static Set<String> requiredInProd(String service) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^%prod\\.[^=]+=\\$\\{([A-Z0-9_]+)}\\s*$").matcher(properties(service));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static String properties(String service) {
        return read(ROOT.resolve(MODULES.get(service)).resolve("src/main/resources/application.properties"));
    }

    private static List<String> propertyKeys(String properties) {
        List<String> keys = new ArrayList<>();
        for (String line : properties.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || !trimmed.contains("=")) {
                continue;
            }
            String key = trimmed.substring(0, trimmed.indexOf('=')).strip();
            keys.add(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key);
        }
        return keys;
    }

    @Test
    void theReadableSetIsDerivedFromTheProperties() {
        Set<String> api = readableEnv("api");
        assertTrue(api.containsAll(Set.of("DB_URL", "KAFKA_BOOTSTRAP_SERVERS", "CRON_SECRET", "QUARKUS_HTTP_HOST",
                "LACQUER_LOG_JSON", "OTEL_SDK_DISABLED")), api::toString);
        assertFalse(api.contains("LACQUER_GENERATOR"), "a worker variable is not an API variable");
        assertTrue(readableEnv("worker").contains("LACQUER_GENERATOR"));
        assertTrue(addressEnv("api").containsAll(Set.of("DB_URL", "KAFKA_BOOTSTRAP_SERVERS", "S3_ENDPOINT",
                "OIDC_AUTH_SERVER_URL")), () -> addressEnv("api").toString());
        assertTrue(addressEnv("worker").containsAll(Set.of("KAFKA_BOOTSTRAP_SERVERS", "S3_ENDPOINT")));
        assertTrue(requiredInProd("api").containsAll(Set.of("DB_PASSWORD", "S3_ACCESS_KEY_ID",
                "S3_SECRET_ACCESS_KEY", "CRON_SECRET")), () -> requiredInProd("api").toString());
    }

    // ---------------------------------------------------------------------------------------------------------
    // docker-compose.yml

    @Test
    void composeGivesTheServicesOnlyWhatTheyReadAndEveryAddressTheyNeed() {
        Map<String, Object> services = map(compose().get("services"));
        List<String> problems = new ArrayList<>();
        for (String service : MODULES.keySet()) {
            Map<String, Object> definition = map(services.get(service));
            assertNotNull(definition, "compose service " + service);
            Map<String, String> env = env(definition.get("environment"));
            Set<String> readable = readableEnv(service);
            env.keySet().stream().filter(name -> !readable.contains(name))
                    .forEach(name -> problems.add(service + ": " + name + " is not read by " + MODULES.get(service)));
            for (String name : addressEnv(service)) {
                if (!env.containsKey(name)) {
                    problems.add(service + ": " + name + " missing: the default is the container's own loopback");
                }
            }
            for (String name : requiredInProd(service)) {
                if (!env.containsKey(name)) {
                    problems.add(service + ": " + name + " missing: the prod profile requires it");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void composeDependenciesExistAreWaitedForAndListenWhereTheyAreCalled() {
        Map<String, Object> services = map(compose().get("services"));
        List<String> problems = new ArrayList<>();
        services.forEach((name, value) -> {
            Map<String, Object> service = map(value);
            Map<String, Object> dependsOn = service.get("depends_on") == null ? Map.of() : map(service.get("depends_on"));
            dependsOn.forEach((dependency, condition) -> {
                Map<String, Object> target = map(services.get(dependency));
                if (target == null) {
                    problems.add(name + " depends on " + dependency + ", which is not a service");
                    return;
                }
                String wanted = String.valueOf(map(condition).get("condition"));
                switch (wanted) {
                    case "service_healthy" -> {
                        if (target.get("healthcheck") == null) {
                            problems.add(name + " waits for " + dependency + " to be healthy; it has no health check");
                        }
                    }
                    case "service_completed_successfully" -> {
                        if (!"no".equals(String.valueOf(target.get("restart")))) {
                            problems.add(dependency + " is waited for to complete: it must be one-shot (restart: \"no\")");
                        }
                    }
                    default -> problems.add(name + " -> " + dependency + ": condition " + wanted
                            + " (use service_healthy or service_completed_successfully)");
                }
            });
            // Every address in the environment that names a compose service: that service is waited for and
            // listens on that port.
            env(service.get("environment")).forEach((variable, address) -> {
                Matcher m = HOST_PORT.matcher(address);
                while (m.find()) {
                    String host = m.group(1);
                    if (!services.containsKey(host) || host.equals(name)) {
                        continue;
                    }
                    if (!dependsOn.containsKey(host)) {
                        problems.add(name + "." + variable + " calls " + host + " but does not depend on it");
                    }
                    Set<String> ports = containerPorts(map(services.get(host)));
                    if (!ports.contains(m.group(2))) {
                        problems.add(name + "." + variable + " calls " + host + ":" + m.group(2) + "; "
                                + host + " listens on " + ports);
                    }
                }
            });
            for (Object port : list(service.get("ports"))) {
                if (!String.valueOf(port).startsWith("127.0.0.1:")) {
                    problems.add(name + " publishes " + port + " beyond the loopback interface");
                }
            }
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void composeHealthChecksProbeTheServicesOwnPortAndTagsArePinned() {
        Map<String, Object> services = map(compose().get("services"));
        List<String> problems = new ArrayList<>();
        for (String service : MODULES.keySet()) {
            Map<String, Object> definition = map(services.get(service));
            String port = env(definition.get("environment")).get("PORT");
            assertNotNull(port, service + " sets PORT");
            String check = String.valueOf(map(definition.get("healthcheck")).get("test"));
            if (!check.contains("/q/health/ready") || !check.contains("127.0.0.1/" + port)) {
                problems.add(service + " health check " + check + " does not probe /q/health/ready on " + port);
            }
            if (!containerPorts(definition).contains(port)) {
                problems.add(service + " listens on " + port + " but publishes " + definition.get("ports"));
            }
            Map<String, Object> build = map(definition.get("build"));
            Path dockerfile = ROOT.resolve(String.valueOf(build.get("context"))).resolve(String.valueOf(build.get("dockerfile")));
            String content = read(dockerfile);
            if (!content.contains("EXPOSE " + port)) {
                problems.add(dockerfile + " does not EXPOSE " + port);
            }
            content.lines().filter(l -> l.startsWith("FROM ")).forEach(l -> checkTag(l.substring(5).strip(),
                    dockerfile.toString(), problems));
        }
        services.forEach((name, value) -> {
            Object image = map(value).get("image");
            if (image == null) {
                problems.add(name + " has no image (build services need a tagged image name too)");
            } else {
                checkTag(String.valueOf(image), name, problems);
            }
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void composeCreatesEveryTopicWithItsPartitionsAndRetention() {
        Map<String, Object> init = map(map(compose().get("services")).get("kafka-init"));
        String script = String.join("\n", list(init.get("command")).stream().map(String::valueOf).toList());
        for (String topic : topics()) {
            Matcher m = Pattern.compile("--topic " + Pattern.quote(topic) + " --partitions (\\d+) .*retention\\.ms=(\\d+)")
                    .matcher(script);
            assertTrue(m.find(), "kafka-init creates " + topic);
            assertEquals(PARTITIONS.get(topic), Integer.parseInt(m.group(1)), topic + " partitions");
            assertEquals(retention(topic), Long.parseLong(m.group(2)), topic + " retention");
        }
    }

    @Test
    void keycloakRealmHasTheAppClientAudienceUsersAndAdminRole() {
        Map<String, Object> realm = keycloakRealm();
        String issuer = env(map(map(compose().get("services")).get("api")).get("environment")).get("OIDC_AUTH_SERVER_URL");
        assertTrue(issuer.endsWith("/realms/" + realm.get("realm")), issuer);
        Map<String, Object> app = list(realm.get("clients")).stream().map(DeploymentManifestsTest::map)
                .filter(c -> "lacquer-app".equals(c.get("clientId"))).findFirst().orElseThrow();
        assertEquals(true, app.get("publicClient"));
        assertEquals(true, app.get("directAccessGrantsEnabled"));
        assertEquals(true, app.get("standardFlowEnabled"));
        assertEquals("S256", map(app.get("attributes")).get("pkce.code.challenge.method"));
        String audience = env(map(map(compose().get("services")).get("api")).get("environment")).get("OIDC_AUDIENCE");
        assertTrue(list(app.get("protocolMappers")).stream().map(DeploymentManifestsTest::map)
                .anyMatch(mapper -> "oidc-audience-mapper".equals(mapper.get("protocolMapper"))
                        && audience.equals(map(mapper.get("config")).get("included.client.audience"))
                        && "true".equals(map(mapper.get("config")).get("access.token.claim"))),
                "access tokens of lacquer-app carry aud " + audience);
        Map<String, List<String>> users = new TreeMap<>();
        list(realm.get("users")).stream().map(DeploymentManifestsTest::map).forEach(u -> users.put(
                String.valueOf(u.get("username")), list(u.get("realmRoles")).stream().map(String::valueOf).toList()));
        assertTrue(users.keySet().containsAll(Set.of("demo-alice", "demo-bob")), users::toString);
        assertTrue(users.values().stream().anyMatch(roles -> roles.contains("admin")), "an admin user");
        assertTrue(list(map(realm.get("roles")).get("realm")).stream().map(r -> map(r).get("name")).toList()
                .contains("admin"), "the admin realm role");
    }

    @Test
    void keycloakRealmHasTheWebClientWithPkceForThePublishedApiOrigin() {
        Map<String, Object> web = list(keycloakRealm().get("clients")).stream().map(DeploymentManifestsTest::map)
                .filter(c -> "lacquer-web".equals(c.get("clientId"))).findFirst().orElseThrow();
        assertEquals(true, web.get("publicClient"));
        assertEquals(true, web.get("standardFlowEnabled"));
        assertEquals(false, web.get("directAccessGrantsEnabled"), "the web client signs in through the browser only");
        assertEquals(false, web.get("implicitFlowEnabled"));
        assertEquals("S256", map(web.get("attributes")).get("pkce.code.challenge.method"));
        String audience = env(map(map(compose().get("services")).get("api")).get("environment")).get("OIDC_AUDIENCE");
        assertTrue(list(web.get("protocolMappers")).stream().map(DeploymentManifestsTest::map)
                .anyMatch(mapper -> "oidc-audience-mapper".equals(mapper.get("protocolMapper"))
                        && audience.equals(map(mapper.get("config")).get("included.client.audience"))
                        && "true".equals(map(mapper.get("config")).get("access.token.claim"))),
                "access tokens of lacquer-web carry aud " + audience);
        // The page is served by the API at /: its published host port is where the browser comes back to.
        String published = list(map(map(compose().get("services")).get("api")).get("ports")).stream()
                .map(String::valueOf).findFirst().orElseThrow();
        String hostPort = published.split(":")[1];
        List<String> redirects = list(web.get("redirectUris")).stream().map(String::valueOf).toList();
        for (String host : List.of("localhost", "127.0.0.1")) {
            assertTrue(redirects.contains("http://" + host + ":" + hostPort + "/*"), "redirect URIs " + redirects);
        }
    }

    private static Map<String, Object> keycloakRealm() {
        Map<String, Object> keycloak = map(map(compose().get("services")).get("keycloak"));
        String mount = list(keycloak.get("volumes")).stream().map(String::valueOf)
                .filter(v -> v.contains("/opt/keycloak/data/import")).findFirst().orElseThrow();
        Path dir = ROOT.resolve(mount.substring(0, mount.indexOf(':')));
        Path realmFile;
        try (Stream<Path> files = Files.list(dir)) {
            realmFile = files.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return map(new Yaml().load(read(realmFile))); // JSON is YAML
    }

    // ---------------------------------------------------------------------------------------------------------
    // k8s/ (rendered with kubectl kustomize)

    @TestFactory
    Stream<DynamicTest> everyKustomizeOverlayRendersAndKeepsTheInvariants() throws IOException {
        assumeTrue(kubectl() != null, "kubectl is not on the PATH: the Kubernetes manifests are not checked here");
        List<Path> overlays;
        try (Stream<Path> dirs = Files.list(ROOT.resolve("k8s/overlays"))) {
            overlays = dirs.filter(Files::isDirectory).sorted().toList();
        }
        assertTrue(overlays.size() >= 2, "at least the local and production overlays");
        return overlays.stream().map(overlay -> DynamicTest.dynamicTest(overlay.getFileName().toString(), () -> {
            List<String> problems = checkRendered(render(overlay));
            assertEquals(List.of(), problems, "k8s/overlays/" + overlay.getFileName());
        }));
    }

    static List<String> checkRendered(List<Map<String, Object>> objects) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> configMaps = byName(objects, "ConfigMap");
        Map<String, Map<String, Object>> secrets = byName(objects, "Secret");
        Map<String, Map<String, Object>> deployments = byName(objects, "Deployment");

        for (String service : MODULES.keySet()) {
            if (deployments.values().stream().noneMatch(d -> service.equals(serviceOf(containers(podSpec(d)).get(0))))) {
                problems.add("no Deployment runs " + MODULES.get(service));
            }
        }
        for (Map<String, Object> object : objects) {
            Map<String, Object> pod = podSpec(object);
            if (pod == null) {
                continue;
            }
            String where = object.get("kind") + "/" + name(object);
            Map<String, Object> podSecurity = map(pod.getOrDefault("securityContext", Map.of()));
            for (Map<String, Object> container : containers(pod)) {
                String at = where + "/" + container.get("name");
                checkTag(String.valueOf(container.get("image")), at, problems);
                Map<String, Object> security = map(container.getOrDefault("securityContext", Map.of()));
                if (!Boolean.TRUE.equals(security.getOrDefault("runAsNonRoot", podSecurity.get("runAsNonRoot")))) {
                    problems.add(at + ": runAsNonRoot is not true");
                }
                if (!Boolean.TRUE.equals(security.get("readOnlyRootFilesystem"))) {
                    problems.add(at + ": readOnlyRootFilesystem is not true");
                }
                if (!Boolean.FALSE.equals(security.get("allowPrivilegeEscalation"))) {
                    problems.add(at + ": allowPrivilegeEscalation is not false");
                }
                Map<String, Object> resources = map(container.getOrDefault("resources", Map.of()));
                for (String kind : List.of("requests", "limits")) {
                    Map<String, Object> amounts = map(resources.getOrDefault(kind, Map.of()));
                    if (!amounts.containsKey("cpu") || !amounts.containsKey("memory")) {
                        problems.add(at + ": resources." + kind + " needs cpu and memory");
                    }
                }
                Map<String, String> env = checkEnvReferences(container, configMaps, secrets, at, problems);
                String service = serviceOf(container);
                if (service == null) {
                    continue;
                }
                if (!"Deployment".equals(object.get("kind"))) {
                    problems.add(at + ": " + service + " runs as a " + object.get("kind"));
                }
                Set<String> readable = readableEnv(service);
                env.keySet().stream().filter(n -> !readable.contains(n))
                        .forEach(n -> problems.add(at + ": " + n + " is not read by " + MODULES.get(service)));
                for (String needed : addressEnv(service)) {
                    String value = env.get(needed);
                    if (value == null || (!BROWSER_ORIGINS.contains(needed)
                            && (value.contains("127.0.0.1") || value.contains("localhost")))) {
                        problems.add(at + ": " + needed + " must name the real server, not " + value);
                    }
                }
                requiredInProd(service).stream().filter(n -> !env.containsKey(n))
                        .forEach(n -> problems.add(at + ": " + n + " missing: the prod profile requires it"));
                checkProbes(container, env.get("PORT"), at, problems);
                boolean tmp = list(container.get("volumeMounts")).stream().map(DeploymentManifestsTest::map)
                        .anyMatch(m -> "/tmp".equals(m.get("mountPath")) && list(pod.get("volumes")).stream()
                                .map(DeploymentManifestsTest::map)
                                .anyMatch(v -> v.get("name").equals(m.get("name")) && v.containsKey("emptyDir")));
                if (!tmp) {
                    problems.add(at + ": /tmp must be a writable emptyDir (the root file system is read-only)");
                }
            }
        }
        checkTopics(objects, problems);
        checkScaling(objects, deployments, problems);
        checkDisruptionBudgetsAndPolicies(objects, deployments, problems);
        checkServices(objects, deployments, problems);
        secrets.forEach((name, secret) -> {
            Map<String, Object> data = new LinkedHashMap<>(map(secret.getOrDefault("stringData", Map.of())));
            if (secret.get("data") != null) {
                problems.add("Secret/" + name + ": base64 data in git; only stringData placeholders belong here");
            }
            data.forEach((key, value) -> {
                if (!"CHANGE-ME".equals(value)) {
                    problems.add("Secret/" + name + "." + key + " is not the placeholder CHANGE-ME");
                }
            });
        });
        return problems;
    }

    /** Checks every ConfigMap/Secret reference of a container; answers the variables it receives (value or "?"). */
    private static Map<String, String> checkEnvReferences(Map<String, Object> container,
                                                          Map<String, Map<String, Object>> configMaps,
                                                          Map<String, Map<String, Object>> secrets,
                                                          String at, List<String> problems) {
        Map<String, String> env = new TreeMap<>();
        for (Object item : list(container.get("envFrom"))) {
            Map<String, Object> source = map(item);
            String prefix = String.valueOf(source.getOrDefault("prefix", ""));
            for (String kind : List.of("configMapRef", "secretRef")) {
                if (source.get(kind) == null) {
                    continue;
                }
                String ref = String.valueOf(map(source.get(kind)).get("name"));
                Map<String, Object> target = (kind.equals("configMapRef") ? configMaps : secrets).get(ref);
                if (target == null) {
                    problems.add(at + ": envFrom " + kind + " " + ref + " is not rendered");
                    continue;
                }
                dataOf(target).forEach((key, value) -> env.put(prefix + key, value));
            }
        }
        for (Object item : list(container.get("env"))) {
            Map<String, Object> variable = map(item);
            String name = String.valueOf(variable.get("name"));
            if (variable.containsKey("value")) {
                env.put(name, String.valueOf(variable.get("value")));
                continue;
            }
            Map<String, Object> from = map(variable.getOrDefault("valueFrom", Map.of()));
            for (String kind : List.of("configMapKeyRef", "secretKeyRef")) {
                if (from.get(kind) == null) {
                    continue;
                }
                Map<String, Object> ref = map(from.get(kind));
                Map<String, Object> target = (kind.equals("configMapKeyRef") ? configMaps : secrets).get(ref.get("name"));
                if (target == null || !dataOf(target).containsKey(String.valueOf(ref.get("key")))) {
                    problems.add(at + ": " + name + " refers to " + kind + " " + ref.get("name") + "/" + ref.get("key")
                            + ", which is not rendered");
                }
            }
            env.put(name, env.getOrDefault(name, "?"));
        }
        return env;
    }

    private static void checkProbes(Map<String, Object> container, String port, String at, List<String> problems) {
        Set<String> portNames = new TreeSet<>();
        for (Object p : list(container.get("ports"))) {
            Map<String, Object> declared = map(p);
            portNames.add(String.valueOf(declared.get("name")));
            if (port != null && !port.equals(String.valueOf(declared.get("containerPort")))) {
                problems.add(at + ": containerPort " + declared.get("containerPort") + " but PORT=" + port);
            }
        }
        Map<String, String> paths = Map.of("startupProbe", "/q/health/started", "readinessProbe", "/q/health/ready",
                "livenessProbe", "/q/health/live");
        paths.forEach((probe, path) -> {
            Map<String, Object> definition = map(container.get(probe));
            Map<String, Object> http = definition == null ? null : map(definition.get("httpGet"));
            if (http == null) {
                problems.add(at + ": no " + probe);
                return;
            }
            if (!path.equals(http.get("path"))) {
                problems.add(at + ": " + probe + " on " + http.get("path") + " instead of " + path);
            }
            String probePort = String.valueOf(http.get("port"));
            if (!portNames.contains(probePort) && !probePort.equals(port)) {
                problems.add(at + ": " + probe + " on port " + probePort + ", which the container does not declare");
            }
        });
    }

    private static void checkTopics(List<Map<String, Object>> objects, List<String> problems) {
        Map<String, Map<String, Object>> topics = new TreeMap<>();
        objects.stream().filter(o -> "KafkaTopic".equals(o.get("kind"))).forEach(o -> {
            Map<String, Object> spec = map(o.get("spec"));
            topics.put(String.valueOf(spec.getOrDefault("topicName", name(o))), o);
            if (map(map(o.get("metadata")).getOrDefault("labels", Map.of())).get("strimzi.io/cluster") == null) {
                problems.add("KafkaTopic/" + name(o) + " has no strimzi.io/cluster label");
            }
        });
        for (String topic : topics()) {
            Map<String, Object> resource = topics.get(topic);
            if (resource == null) {
                problems.add("no KafkaTopic for " + topic);
                continue;
            }
            Map<String, Object> spec = map(resource.get("spec"));
            if (!Objects.equals(PARTITIONS.get(topic), spec.get("partitions"))) {
                problems.add("KafkaTopic " + topic + ": " + spec.get("partitions") + " partitions, expected "
                        + PARTITIONS.get(topic));
            }
            Object retention = map(spec.getOrDefault("config", Map.of())).get("retention.ms");
            if (retention == null || Long.parseLong(String.valueOf(retention)) != retention(topic)) {
                problems.add("KafkaTopic " + topic + ": retention.ms " + retention + ", expected " + retention(topic));
            }
        }
    }

    private static void checkScaling(List<Map<String, Object>> objects, Map<String, Map<String, Object>> deployments,
                                     List<String> problems) {
        String worker = deployments.entrySet().stream()
                .filter(e -> "worker".equals(serviceOf(containers(podSpec(e.getValue())).get(0))))
                .map(Map.Entry::getKey).findFirst().orElse("?");
        int partitions = PARTITIONS.get(Topics.REQUESTS);
        List<Map<String, Object>> hpas = objects.stream().filter(o -> "HorizontalPodAutoscaler".equals(o.get("kind"))
                && worker.equals(map(map(o.get("spec")).get("scaleTargetRef")).get("name"))).toList();
        List<Map<String, Object>> scaledObjects = objects.stream().filter(o -> "ScaledObject".equals(o.get("kind"))
                && worker.equals(map(map(o.get("spec")).get("scaleTargetRef")).get("name"))).toList();
        if (hpas.size() + scaledObjects.size() != 1) {
            problems.add("the worker needs exactly one autoscaler (HPA or KEDA ScaledObject), found "
                    + (hpas.size() + scaledObjects.size()));
        }
        for (Map<String, Object> hpa : hpas) {
            Object max = map(hpa.get("spec")).get("maxReplicas");
            if (!(max instanceof Integer m) || m > partitions) {
                problems.add("HPA " + name(hpa) + ": maxReplicas " + max + " > " + partitions + " partitions");
            }
        }
        String group = Pattern.compile("generation-requests\\.group\\.id=\\$\\{KAFKA_CONSUMER_GROUP:([^}]+)}")
                .matcher(properties("worker")).results().map(r -> r.group(1)).findFirst().orElse("?");
        for (Map<String, Object> scaled : scaledObjects) {
            Map<String, Object> spec = map(scaled.get("spec"));
            Object max = spec.get("maxReplicaCount");
            if (!(max instanceof Integer m) || m > partitions) {
                problems.add("ScaledObject " + name(scaled) + ": maxReplicaCount " + max + " > " + partitions);
            }
            for (Object trigger : list(spec.get("triggers"))) {
                Map<String, Object> metadata = map(map(trigger).get("metadata"));
                if (!group.equals(metadata.get("consumerGroup")) || !Topics.REQUESTS.equals(metadata.get("topic"))) {
                    problems.add("ScaledObject " + name(scaled) + " watches " + metadata.get("consumerGroup") + "/"
                            + metadata.get("topic") + ", the worker is " + group + "/" + Topics.REQUESTS);
                }
            }
        }
    }

    private static void checkDisruptionBudgetsAndPolicies(List<Map<String, Object>> objects,
                                                          Map<String, Map<String, Object>> deployments,
                                                          List<String> problems) {
        deployments.forEach((name, deployment) -> {
            Map<String, Object> labels = map(map(map(map(deployment.get("spec")).get("template")).get("metadata"))
                    .get("labels"));
            boolean budget = objects.stream().filter(o -> "PodDisruptionBudget".equals(o.get("kind")))
                    .anyMatch(o -> selects(map(map(o.get("spec")).get("selector")), labels));
            if (!budget) {
                problems.add("Deployment/" + name + " has no PodDisruptionBudget");
            }
            List<Map<String, Object>> policies = objects.stream().filter(o -> "NetworkPolicy".equals(o.get("kind")))
                    .filter(o -> selects(map(map(o.get("spec")).get("podSelector")), labels)).toList();
            if (policies.isEmpty()) {
                problems.add("Deployment/" + name + " has no NetworkPolicy");
            }
            String service = serviceOf(containers(podSpec(deployment)).get(0));
            String port = String.valueOf(map(list(containers(podSpec(deployment)).get(0).get("ports")).get(0))
                    .get("containerPort"));
            for (Map<String, Object> policy : policies) {
                for (Object rule : list(map(policy.get("spec")).get("ingress"))) {
                    Map<String, Object> ingress = map(rule);
                    List<String> ports = list(ingress.get("ports")).stream()
                            .map(p -> String.valueOf(map(p).get("port"))).toList();
                    if (!ports.equals(List.of(port))) {
                        problems.add("NetworkPolicy/" + name(policy) + " opens " + ports + " on " + name
                                + ", which listens on " + port + " only");
                    }
                    if ("worker".equals(service) && list(ingress.get("from")).isEmpty()) {
                        problems.add("NetworkPolicy/" + name(policy) + " lets anyone reach the worker;"
                                + " it takes no ingress (metrics scraping from a named namespace at most)");
                    }
                }
            }
        });
    }

    private static void checkServices(List<Map<String, Object>> objects, Map<String, Map<String, Object>> deployments,
                                      List<String> problems) {
        objects.stream().filter(o -> "Service".equals(o.get("kind"))).forEach(service -> {
            Map<String, Object> spec = map(service.get("spec"));
            Map<String, Object> selector = map(spec.get("selector"));
            List<Map<String, Object>> matching = deployments.values().stream().filter(d -> {
                Map<String, Object> labels = map(map(map(map(d.get("spec")).get("template")).get("metadata")).get("labels"));
                return labels.entrySet().containsAll(selector.entrySet());
            }).toList();
            if (matching.isEmpty()) {
                problems.add("Service/" + name(service) + " selects no Deployment");
                return;
            }
            Set<String> targets = new TreeSet<>();
            for (Object p : list(containers(podSpec(matching.get(0))).get(0).get("ports"))) {
                targets.add(String.valueOf(map(p).get("name")));
                targets.add(String.valueOf(map(p).get("containerPort")));
            }
            for (Object p : list(spec.get("ports"))) {
                String target = String.valueOf(map(p).get("targetPort"));
                if (!targets.contains(target)) {
                    problems.add("Service/" + name(service) + " targets port " + target + "; the pods have " + targets);
                }
            }
        });
    }

    // ---------------------------------------------------------------------------------------------------------
    // helpers

    private static Map<String, Object> compose() {
        return map(new Yaml().load(read(ROOT.resolve("docker-compose.yml"))));
    }

    private static List<String> topics() {
        List<String> topics = new ArrayList<>();
        for (Field field : Topics.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    topics.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        assertEquals(PARTITIONS.keySet(), new TreeSet<>(topics), "this test knows the partitions of every topic");
        return topics;
    }

    private static long retention(String topic) {
        return topic.endsWith(".dlq") ? THIRTY_DAYS_MS : SEVEN_DAYS_MS;
    }

    private static void checkTag(String image, String where, List<String> problems) {
        int slash = image.lastIndexOf('/');
        int colon = image.indexOf(':', slash + 1);
        if (image.contains("@sha256:")) {
            return;
        }
        if (colon < 0) {
            problems.add(where + ": image " + image + " has no tag");
        } else if (image.substring(colon + 1).equalsIgnoreCase("latest")) {
            problems.add(where + ": image " + image + " uses latest");
        }
    }

    /** The container ports a compose service listens on: the container side of ports, plus expose. */
    private static Set<String> containerPorts(Map<String, Object> service) {
        Set<String> ports = new TreeSet<>();
        for (Object p : list(service.get("ports"))) {
            String spec = String.valueOf(p).replaceAll("/(tcp|udp)$", "");
            ports.add(spec.substring(spec.lastIndexOf(':') + 1));
        }
        for (Object p : list(service.get("expose"))) {
            ports.add(String.valueOf(p));
        }
        return ports;
    }

    private static Map<String, String> env(Object environment) {
        Map<String, String> env = new TreeMap<>();
        if (environment instanceof Map<?, ?> m) {
            m.forEach((k, v) -> env.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        } else {
            for (Object item : list(environment)) {
                String entry = String.valueOf(item);
                int eq = entry.indexOf('=');
                env.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? "" : entry.substring(eq + 1));
            }
        }
        return env;
    }

    /** The services by container image: lacquer/api-service... → api. */
    private static String serviceOf(Map<String, Object> container) {
        String image = String.valueOf(container.get("image"));
        String repository = image.substring(0, image.contains(":") ? image.lastIndexOf(':') : image.length());
        for (Map.Entry<String, String> module : MODULES.entrySet()) {
            if (repository.endsWith("/" + module.getValue())) {
                return module.getKey();
            }
        }
        return null;
    }

    private static Map<String, Object> podSpec(Map<String, Object> object) {
        Map<String, Object> spec = map(object.get("spec"));
        if (spec == null) {
            return null;
        }
        return switch (String.valueOf(object.get("kind"))) {
            case "Deployment", "StatefulSet", "DaemonSet", "Job" -> map(map(spec.get("template")).get("spec"));
            case "CronJob" -> map(map(map(map(spec.get("jobTemplate")).get("spec")).get("template")).get("spec"));
            default -> null;
        };
    }

    private static List<Map<String, Object>> containers(Map<String, Object> pod) {
        List<Map<String, Object>> all = new ArrayList<>();
        list(pod.get("initContainers")).forEach(c -> all.add(map(c)));
        list(pod.get("containers")).forEach(c -> all.add(map(c)));
        return all;
    }

    private static Map<String, String> dataOf(Map<String, Object> object) {
        Map<String, String> data = new TreeMap<>();
        for (String field : List.of("data", "stringData")) {
            map(object.getOrDefault(field, Map.of())).forEach((k, v) -> data.put(k, String.valueOf(v)));
        }
        return data;
    }

    private static boolean selects(Map<String, Object> selector, Map<String, Object> labels) {
        Map<String, Object> matchLabels = map(selector.getOrDefault("matchLabels", Map.of()));
        return !matchLabels.isEmpty() && labels.entrySet().containsAll(matchLabels.entrySet());
    }

    private static Map<String, Map<String, Object>> byName(List<Map<String, Object>> objects, String kind) {
        Map<String, Map<String, Object>> found = new TreeMap<>();
        objects.stream().filter(o -> kind.equals(o.get("kind"))).forEach(o -> found.put(name(o), o));
        return found;
    }

    private static String name(Map<String, Object> object) {
        return String.valueOf(map(object.get("metadata")).get("name"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private static List<Object> list(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        return List.of(value);
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String kubectl() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private static List<Map<String, Object>> render(Path overlay) {
        try {
            Process process = new ProcessBuilder(kubectl(), "kustomize", overlay.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String yaml = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                fail("kubectl kustomize " + overlay + " failed");
            }
            List<Map<String, Object>> objects = new ArrayList<>();
            for (Object document : new Yaml().loadAll(yaml)) {
                if (document != null) {
                    objects.add(map(document));
                }
            }
            return objects;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
