package dev.lacquer.worker.config;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** The name this process gives itself in {@code GenerationStarted}, so operators can tell workers apart. */
@ApplicationScoped
public class WorkerIdentity {

    private final String id;

    WorkerIdentity(WorkerConfig config) {
        this.id = config.workerId().filter(s -> !s.isBlank()).orElseGet(WorkerIdentity::generated);
    }

    public String id() {
        return id;
    }

    private static String generated() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "worker";
            }
        }
        byte[] suffix = new byte[3];
        ThreadLocalRandom.current().nextBytes(suffix);
        return host + "-" + HexFormat.of().formatHex(suffix);
    }
}
