package dev.lacquer.benchmark.scenario;

import dev.lacquer.benchmark.Bench;
import dev.lacquer.benchmark.Fmt;
import dev.lacquer.benchmark.Progress;
import dev.lacquer.benchmark.ServiceProcess;
import dev.lacquer.benchmark.Services;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * Scenario 5: each service alone, started as a packaged app with its default settings (the worker with its
 * default generator), timed from launch to {@code /q/health/ready} = 200; then left idle and its RSS read.
 */
public final class StartupAndMemory implements Scenario {

    static final int STARTS = 3;
    static final int IDLE_SECONDS = 5;
    static final double READY_TARGET_SECONDS = 4;
    static final long RSS_TARGET_BYTES = 250L * 1024 * 1024;

    @Override
    public String title() {
        return "start-up and memory";
    }

    @Override
    public void run(Bench bench) throws Exception {
        Services services = bench.services;
        services.close();
        for (String name : List.of(Services.API, Services.WORKER)) {
            List<Double> ready = new ArrayList<>();
            List<Long> rss = new ArrayList<>();
            List<Long> heap = new ArrayList<>();
            for (int i = 1; i <= STARTS; i++) {
                int attempt = i;
                Progress.status(() -> name + ": start " + attempt + "/" + STARTS);
                double seconds = name.equals(Services.API) ? services.ensureApi(Services.apiDefaults())
                        : services.ensureWorker(Map.of());
                ServiceProcess process = name.equals(Services.API) ? services.api() : services.worker();
                Thread.sleep(IDLE_SECONDS * 1000L);
                ready.add(seconds);
                rss.add(process.rssBytes());
                heap.add(process.heapUsedBytes());
                Progress.say(String.format(Locale.ROOT, "%s start %d: ready in %.2f s, idle RSS %s", name, i, seconds,
                        Fmt.mb(process.rssBytes())));
                if (name.equals(Services.API)) {
                    services.stopApi();
                } else {
                    services.stopWorker();
                }
            }
            double medianReady = median(ready);
            long medianRss = medianLong(rss);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("ready_seconds", ready);
            detail.put("idle_rss_bytes", rss);
            detail.put("idle_heap_used_bytes", heap);
            detail.put("idle_seconds_before_rss", IDLE_SECONDS);
            bench.results.detail("5", name, detail);
            bench.results.row("5", name + " ready (launch → /q/health/ready 200), median of " + STARTS,
                    String.format(Locale.ROOT, "%.2f s (max %.2f s)", medianReady, Collections.max(ready)),
                    "< 4 s", medianReady < READY_TARGET_SECONDS);
            bench.results.row("5", name + " RSS idle " + IDLE_SECONDS + " s after ready, median",
                    Fmt.mb(medianRss) + " (heap used " + Fmt.mb(medianLong(heap)) + ")", "< 250 MB",
                    medianRss > 0 && medianRss < RSS_TARGET_BYTES);
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    static long medianLong(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
