package dev.lacquer.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything a scenario needs: options, the stack, the services, the API client, where results go. */
public final class Bench {

    public final Options options;
    public final Stack stack;
    public final Services services;
    public final Results results;
    public final Path logDir;
    public final String runId;
    private final byte[] photo;
    private ApiClient api;
    /** Processes of the services warmed in this run ({@link #warmUp}, scenario 1). */
    private final java.util.Set<Long> warmedPids = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Set by scenario 0 when it ran in this run: the ceiling in jobs per second and its limiting component. */
    public volatile double ceilingJobsPerSecond = Double.NaN;
    public volatile String ceilingComponent = "";
    /** Set by scenario 1 when it ran in this run: the sustained whole-loop throughput in jobs per second. */
    public volatile double sustainedJobsPerSecond = Double.NaN;

    public Bench(Options options, Stack stack, Services services, Results results, Path logDir, String runId)
            throws java.io.IOException {
        this.options = options;
        this.stack = stack;
        this.services = services;
        this.results = results;
        this.logDir = logDir;
        this.runId = runId;
        this.photo = Files.readAllBytes(options.repo().resolve("local-stack/samples/hand.jpg"));
    }

    public byte[] photo() {
        return photo;
    }

    public Map<String, String> infra() {
        return stack.infraEnv();
    }

    public synchronized ApiClient api() {
        if (api == null) {
            Map<String, String> infra = infra();
            api = new ApiClient(services.apiUrl(), infra.get("OIDC_TOKEN_URL"), infra.get("LACQUER_DEV_PASSWORD"), photo);
        }
        return api;
    }

    public Db db() {
        return new Db(infra());
    }

    public String kafka() {
        return infra().get("KAFKA_BOOTSTRAP_SERVERS");
    }

    /** User names {@code <scenario>-<run id>-u<i>}: fresh users in every run, even on a reused database. */
    public List<String> users(String scenario, int count) {
        List<String> users = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            users.add(scenario + "-" + runId + "-u" + i);
        }
        return users;
    }

    /**
     * Warms freshly started services up until their JIT settles ({@link WarmUp}: at most {@code --warmup} s): a
     * closed loop of 50 users creating jobs and reading them, not measured. Services warmed before in this run
     * (scenario 1, or an earlier call) are not warmed again.
     *
     * @param withWorker whether the scenario measures the worker too, or only the API
     * @return what the warm-up saw, or null when the services were warm already
     */
    public WarmUp.Outcome warmUp(boolean withWorker) throws Exception {
        Map<String, Long> watched = watched(withWorker);
        if (warmedPids.containsAll(watched.values())) {
            return null;
        }
        ApiClient api = api();
        List<String> users = users("warmup", 50);
        List<String> tokens = api.tokens(users, 3600);
        WarmUp.Outcome outcome;
        try (JobTracker tracker = new JobTracker(db(), 50)) {
            List<Thread> threads = new ArrayList<>();
            for (int u = 0; u < users.size(); u++) {
                String user = users.get(u);
                String token = tokens.get(u);
                threads.add(Thread.ofVirtual().start(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        try {
                            ApiClient.Created answer = api.create(token);
                            if (answer.accepted()) {
                                tracker.track(answer.jobId(), user, answer.answeredAt(), answer.answeredNanos())
                                        .finished.get(60, java.util.concurrent.TimeUnit.SECONDS);
                                api.get(token, "/api/generation-job/" + answer.jobId());
                                api.get(token, "/api/user/pending-generations");
                            } else {
                                Thread.sleep(200);
                            }
                        } catch (InterruptedException e) {
                            return;
                        } catch (Exception e) {
                            // warm-up only
                        }
                    }
                }));
            }
            outcome = WarmUp.run(tracker::completed, watched, options.warmup());
            for (Thread thread : threads) {
                thread.interrupt();
            }
            for (Thread thread : threads) {
                thread.join(120_000);
            }
            tracker.awaitAll(60_000);
        }
        warmed();
        Progress.say("warm-up " + outcome.describe());
        return outcome;
    }

    /** The services as they run now count as warm: {@link #warmUp} leaves them alone. */
    public void warmed() {
        warmedPids.add(services.api().pid());
        warmedPids.add(services.worker().pid());
    }

    /** The services a warm-up waits for, by name, as process ids. */
    public Map<String, Long> watched(boolean withWorker) {
        Map<String, Long> watched = new LinkedHashMap<>();
        watched.put(Services.API, services.api().pid());
        if (withWorker) {
            watched.put(Services.WORKER, services.worker().pid());
        }
        return watched;
    }

    /** CPU seconds used so far by each process of the system under test and by this benchmark. */
    public Map<String, Double> cpu() {
        Map<String, Double> cpu = new LinkedHashMap<>();
        ServiceProcess api = services.api();
        ServiceProcess worker = services.worker();
        cpu.put("api", api == null ? 0.0 : Procs.cpuSeconds(api.pid()));
        cpu.put("worker", worker == null ? 0.0 : Procs.cpuSeconds(worker.pid()));
        cpu.put("kafka", Procs.cpuSeconds(stack.pid("kafka")));
        cpu.put("postgres", Procs.cpuSecondsWithChildren(stack.pid("postgres")));
        cpu.put("s3proxy", Procs.cpuSeconds(stack.pid("s3")));
        cpu.put("benchmark", Procs.cpuSeconds(ProcessHandle.current().pid()));
        return cpu;
    }

    /** CPU seconds used so far by this run: the benchmark and everything it started, and the stack's servers. */
    public double ourCpuSeconds() {
        return Procs.treesCpuSeconds(ourRoots());
    }

    /**
     * The processes {@link #ourCpuSeconds()} counts from. A server restarted meanwhile (the fault soak) is a new
     * process, not a child of this one: the CPU its predecessor used is no longer readable.
     */
    public List<Long> ourRoots() {
        return List.of(ProcessHandle.current().pid(), stack.pid("postgres"), stack.pid("kafka"), stack.pid("s3"),
                stack.pid("oidc"));
    }

    /** CPU seconds per component between two readings, plus the total. */
    public static Map<String, Double> cpuBetween(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> used = new LinkedHashMap<>();
        double total = 0;
        for (Map.Entry<String, Double> entry : after.entrySet()) {
            double delta = Math.max(0, entry.getValue() - before.getOrDefault(entry.getKey(), 0.0));
            used.put(entry.getKey(), Fmt.round(delta, 2));
            total += delta;
        }
        used.put("total", Fmt.round(total, 2));
        return used;
    }

    /** "44.2 ms CPU per job (api 17.3, worker 10.1, ...)": each component's CPU divided by the jobs finished. */
    public static String cpuPerJob(Map<String, Double> used, long jobs) {
        return msPerJob(used.getOrDefault("total", 0.0), jobs) + " ms CPU per job (" + eachComponent(used,
                (name, cpu) -> (name.equals("benchmark") ? "load generator" : name) + " " + msPerJob(cpu, jobs)) + ")";
    }

    private static String msPerJob(double cpuSeconds, long jobs) {
        return jobs == 0 ? "n/a" : String.format(java.util.Locale.ROOT, "%.1f", cpuSeconds * 1000 / jobs);
    }

    /** "api 35 %, worker 40 %, ..." of the machine's cores over {@code seconds}. */
    public static String cpuShares(Map<String, Double> used, double seconds) {
        int cores = Runtime.getRuntime().availableProcessors();
        return eachComponent(used, (name, cpu) -> name + " " + Math.round(cpu / seconds / cores * 100) + "%")
                + " of " + cores + " cores";
    }

    /** One part per component of a CPU reading (not its total), joined with commas. */
    private static String eachComponent(Map<String, Double> used,
                                        java.util.function.BiFunction<String, Double, String> part) {
        return used.entrySet().stream().filter(entry -> !entry.getKey().equals("total"))
                .map(entry -> part.apply(entry.getKey(), entry.getValue()))
                .collect(java.util.stream.Collectors.joining(", "));
    }
}
