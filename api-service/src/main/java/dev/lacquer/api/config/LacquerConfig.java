package dev.lacquer.api.config;

import dev.lacquer.objectstore.ObjectStoreConnection;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Typed configuration of api-service; see application.properties for the environment variables. */
@ConfigMapping(prefix = "lacquer")
public interface LacquerConfig {

    Credits credits();

    Jobs jobs();

    Storage storage();

    Sweep sweep();

    Outbox outbox();

    Web web();

    QueueEstimate queueEstimate();

    Auth auth();

    interface Credits {
        /** Credits one generated design costs; a job costs imageCount × this. */
        @WithDefault("1")
        int costPerDesign();

        /** Credits granted to a user the first time they are seen. */
        @WithDefault("20")
        int startingGrant();
    }

    interface Jobs {
        @WithDefault("2")
        int defaultImageCount();

        @WithDefault("4")
        int maxImageCount();

        /** Largest accepted photo, in bytes, after decoding. */
        @WithDefault("20971520")
        long maxPhotoBytes();

        /** Jobs one user may have pending or processing at once; more answer 429. */
        @WithDefault("10")
        int maxActivePerUser();

        /** Creates one user may make per minute; more answer 429. */
        @WithDefault("20")
        int createsPerMinute();

        /** Attempts a job gets before a lost or retryable failure becomes final. */
        @WithDefault("3")
        int maxAttempts();

        /** How long a processing job stays leased to its worker without a heartbeat. */
        @WithDefault("PT60S")
        Duration lease();

        /** How long a published request may wait for a worker to start it before it is requested again. */
        @WithDefault("PT2M")
        Duration pickupTimeout();

        /** Pending jobs older than this are failed as EXPIRED and release their reservation. */
        @WithDefault("PT24H")
        Duration pendingExpiry();
    }

    /** The object store (R2 in production, s3proxy locally): the connection, and how image URLs are made. */
    interface Storage extends ObjectStoreConnection {
        /** When set (an R2 public bucket or custom domain), image URLs are this base + key instead of presigned. */
        Optional<String> publicBaseUrl();

        /** Lifetime of presigned image URLs. */
        @WithDefault("PT1H")
        Duration urlLifetime();
    }

    interface Sweep {
        /** How often each replica runs the sweep (a Quarkus scheduler interval such as {@code 10s}). */
        @WithDefault("10s")
        String every();

        /** Bearer secret of POST /api/process-generation-jobs. */
        String cronSecret();
    }

    /** The reference web client served at {@code /}: what it needs to sign users in by itself. */
    interface Web {
        /** The OIDC issuer the browser signs in with (its discovery document names the endpoints). */
        String issuer();

        /** The public client (authorization code + PKCE, no secret) the browser signs in as. */
        @WithDefault("lacquer-web")
        String clientId();

        /** Scopes the browser asks for, space-separated. */
        @WithDefault("openid")
        String scopes();
    }

    /** How a pending job's estimated start is computed: queue position × the recent interval between starts. */
    interface QueueEstimate {
        /** How far back job starts (of every user) are counted to measure the start rate. */
        @WithDefault("PT2M")
        Duration window();

        /** Fewer starts than this in the window (an idle system, no worker running) use the fallback instead. */
        @WithDefault("3")
        int minStarts();

        /** What each queue position counts when the rate cannot be measured. */
        @WithDefault("PT10S")
        Duration fallbackPerPosition();

        /** How long a replica reuses a measured rate: one indexed count per this, not one per request. */
        @WithDefault("PT5S")
        Duration refresh();
    }

    interface Outbox {
        /** Rows the relay claims and sends at once. */
        @WithDefault("200")
        int batchSize();

        /**
         * How long a claimed row belongs to the replica that claimed it (a relay pass, or the create that wrote a new
         * job's request claimed); a row whose replica died is sent again after it.
         * A relay waits for the broker's acks at most half of this. Keep it well above the producer's
         * {@code delivery.timeout.ms}, so a row is in flight at one replica at a time unless Kafka is away longer.
         */
        @WithDefault("PT60S")
        Duration claimLease();

        /** The relay's safety-net poll; it is woken after every commit that wrote a row anyway. */
        @WithDefault("PT1S")
        Duration pollInterval();
    }

    interface Auth {
        /**
         * Verified bearer tokens each replica keeps, with their identity (a few KB each): an app polls with the same
         * token until it expires, so this is the number of users polling one replica at once. 0 verifies every
         * request.
         */
        @WithDefault("2000")
        int verifiedTokens();

        /**
         * How long a verified token is used without verifying it again (never past its {@code exp}): the longest a
         * signing key withdrawn from the issuer's key set is still honoured by a replica.
         */
        @WithDefault("PT1M")
        Duration verifiedTokenMaxAge();
    }
}
