package dev.lacquer.localstack;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.regex.Pattern;

/** The one rule of the dev issuer's sign-in: any username of the allowed form, with the shared dev password. */
final class DevPassword {

    static final String DEFAULT = "lacquer-dev";
    static final Pattern USERNAME = Pattern.compile("^[A-Za-z0-9._@-]{1,64}$");

    private final byte[] password;

    DevPassword(String password) {
        this.password = password.getBytes(StandardCharsets.UTF_8);
    }

    boolean accepts(String username, String candidate) {
        boolean passwordOk = candidate != null
                && MessageDigest.isEqual(password, candidate.getBytes(StandardCharsets.UTF_8));
        return username != null && USERNAME.matcher(username).matches() && passwordOk;
    }
}
