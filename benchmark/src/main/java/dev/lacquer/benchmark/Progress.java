package dev.lacquer.benchmark;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Supplier;

/** The progress line: every few seconds, what the current scenario is doing. */
public final class Progress {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static volatile Supplier<String> status = () -> "";
    private static volatile String scenario = "";
    private static final long START = System.nanoTime();

    private Progress() {
    }

    public static void startTicker(int everySeconds) {
        Thread.ofPlatform().daemon().name("progress").start(() -> {
            while (true) {
                try {
                    Thread.sleep(everySeconds * 1000L);
                } catch (InterruptedException e) {
                    return;
                }
                String line = status.get();
                if (line != null && !line.isEmpty()) {
                    print(line);
                }
            }
        });
    }

    public static void scenario(String name) {
        scenario = name;
        status = () -> "";
        print("=== " + name);
    }

    /** What the progress line shows until the next call. */
    public static void status(Supplier<String> supplier) {
        status = supplier;
    }

    public static void say(String message) {
        print(message);
    }

    private static synchronized void print(String message) {
        long elapsed = (System.nanoTime() - START) / 1_000_000_000L;
        System.out.printf("[bench %s +%dm%02ds] %s%s%n", LocalTime.now().format(TIME), elapsed / 60, elapsed % 60,
                scenario.isEmpty() ? "" : scenario.split(" ")[0] + " ", message);
        System.out.flush();
    }
}
