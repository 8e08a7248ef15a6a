package dev.lacquer.benchmark.scenario;

import dev.lacquer.benchmark.Bench;

/** One scenario of the benchmark; it starts what it needs and records its figures in {@code bench.results}. */
public interface Scenario {

    String title();

    void run(Bench bench) throws Exception;
}
