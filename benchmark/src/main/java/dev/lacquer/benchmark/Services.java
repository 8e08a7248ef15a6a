package dev.lacquer.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * api-service and worker-service as packaged apps, each started with the benchmark's settings on top of the
 * stack's infra.env. A service is restarted only when a scenario asks for different settings.
 */
public final class Services implements AutoCloseable {

    public static final String API = "api-service";
    public static final String WORKER = "worker-service";

    private final Path repo;
    private final Path javaHome;
    private final Path logDir;
    private final Stack stack;
    private final int apiPort;
    private final int workerPort;
    private final String cronSecret;
    private ServiceProcess api;
    private ServiceProcess worker;
    private Map<String, String> apiSettings = Map.of();
    private Map<String, String> workerSettings = Map.of();

    private final Map<String, String> apiExtra;
    private final Map<String, String> workerExtra;

    public Services(Path repo, Path javaHome, Path logDir, Stack stack, Map<String, String> apiExtra,
                    Map<String, String> workerExtra) {
        this.apiExtra = apiExtra;
        this.workerExtra = workerExtra;
        this.repo = repo;
        this.javaHome = javaHome;
        this.logDir = logDir;
        this.stack = stack;
        this.apiPort = 8080 + stack.offset();
        this.workerPort = 8081 + stack.offset();
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        this.cronSecret = HexFormat.of().formatHex(secret);
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + apiPort;
    }

    public String cronSecret() {
        return cronSecret;
    }

    /** The benchmark's API settings: limits raised so the load is not throttled, and credits that never run out. */
    public static Map<String, String> apiDefaults() {
        Map<String, String> settings = new TreeMap<>();
        settings.put("LACQUER_CREATES_PER_MINUTE", "1000000");
        settings.put("LACQUER_MAX_ACTIVE_JOBS", "1000000");
        settings.put("LACQUER_STARTING_CREDITS", "1000000");
        return settings;
    }

    /** The benchmark generator with the given latency and worker concurrency. */
    public static Map<String, String> workerSettings(Duration latency, int concurrency) {
        Map<String, String> settings = new TreeMap<>();
        settings.put("LACQUER_GENERATOR", "benchmark");
        settings.put("LACQUER_WORKER_BENCHMARK_LATENCY", latency.toMillis() + "ms");
        settings.put("LACQUER_MAX_CONCURRENT_JOBS", Integer.toString(concurrency));
        return settings;
    }

    public ServiceProcess api() {
        return api;
    }

    public ServiceProcess worker() {
        return worker;
    }

    /** Makes sure the API runs with exactly these settings; answers its time to ready when it was (re)started. */
    public double ensureApi(Map<String, String> settings) throws IOException, InterruptedException {
        if (api != null && api.alive() && apiSettings.equals(settings)) {
            return Double.NaN;
        }
        stopApi();
        Map<String, String> env = baseEnv();
        env.put("CRON_SECRET", cronSecret);
        env.putAll(settings);
        env.putAll(apiExtra);
        api = launch(API, apiPort, env);
        apiSettings = Map.copyOf(settings);
        remember(api);
        return api.awaitReady(Duration.ofSeconds(120));
    }

    /** Makes sure the worker runs with exactly these settings; answers its time to ready when it was (re)started. */
    public double ensureWorker(Map<String, String> settings) throws IOException, InterruptedException {
        if (worker != null && worker.alive() && workerSettings.equals(settings)) {
            return Double.NaN;
        }
        stopWorker();
        return startWorker(settings);
    }

    /** Starts a new worker process (after a stop or a kill) and answers its time to ready. */
    public double startWorker(Map<String, String> settings) throws IOException, InterruptedException {
        Map<String, String> env = baseEnv();
        env.putAll(settings);
        env.putAll(workerExtra);
        worker = launch(WORKER, workerPort, env);
        workerSettings = Map.copyOf(settings);
        remember(worker);
        return worker.awaitReady(Duration.ofSeconds(120));
    }

    public void stopApi() throws InterruptedException {
        if (api != null) {
            api.stop(30);
            api = null;
        }
    }

    public void stopWorker() throws InterruptedException {
        if (worker != null) {
            worker.stop(30);
            worker = null;
        }
    }

    /** SIGKILL of the worker; {@link #startWorker} brings a new one. */
    public void killWorker() throws InterruptedException {
        if (worker != null) {
            worker.kill();
        }
    }

    public Map<String, String> workerSettingsNow() {
        return workerSettings;
    }

    private Map<String, String> baseEnv() {
        Map<String, String> env = new LinkedHashMap<>(stack.infraEnv());
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        return env;
    }

    private ServiceProcess launch(String module, int port, Map<String, String> env) throws IOException {
        Path jar = repo.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with ./mvnw -B -q install -DskipTests "
                    + "-pl api-service,worker-service -am");
        }
        return ServiceProcess.launch(repo, module, javaHome, port, env, logDir.resolve(module + ".log"));
    }

    /** run.sh kills whatever is listed here if the benchmark itself dies. */
    private void remember(ServiceProcess process) throws IOException {
        String file = System.getenv("LACQUER_BENCH_PIDS");
        Files.writeString(file == null || file.isBlank() ? logDir.resolve("services.pids") : Path.of(file),
                process.pid() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Override
    public void close() throws InterruptedException {
        stopWorker();
        stopApi();
    }
}
