package dev.lacquer.testsupport;

/**
 * Where the real servers the tests talk to are: the environment names of local-stack's {@code infra.env}
 * (or of servers an operator points the tests at), falling back to the local stack's default ports.
 */
public final class StackAddresses {

    private StackAddresses() {
    }

    public static String kafkaBootstrapServers() {
        return env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092");
    }

    public static String oidcTokenUrl() {
        return env("OIDC_TOKEN_URL", env("OIDC_AUTH_SERVER_URL", "http://127.0.0.1:19180/realms/lacquer")
                + "/protocol/openid-connect/token");
    }

    /** The object store's base URL (s3proxy locally). */
    public static String s3Endpoint() {
        return env("S3_ENDPOINT", "http://127.0.0.1:19000");
    }

    public static String s3Region() {
        return env("S3_REGION", "us-east-1");
    }

    public static String s3Bucket() {
        return env("S3_BUCKET", "lacquer");
    }

    public static String s3AccessKeyId() {
        return env("S3_ACCESS_KEY_ID", "lacquer-local");
    }

    public static String s3SecretAccessKey() {
        return env("S3_SECRET_ACCESS_KEY", "lacquer-local-secret");
    }

    /** The password every user of the development issuer signs in with. */
    public static String devPassword() {
        return env("LACQUER_DEV_PASSWORD", "lacquer-dev");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
