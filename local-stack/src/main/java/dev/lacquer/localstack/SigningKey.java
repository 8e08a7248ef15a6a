package dev.lacquer.localstack;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The issuer's RSA 2048 signing key: generated on first start, persisted as DER files
 * ({@code signing-key.pk8.der}, PKCS#8, mode 600; {@code signing-key.x509.der}, X.509
 * SubjectPublicKeyInfo) so tokens stay valid across restarts. The key id is the RFC 7638 JWK
 * thumbprint of the public key.
 */
final class SigningKey {

    static final String PRIVATE_FILE = "signing-key.pk8.der";
    static final String PUBLIC_FILE = "signing-key.x509.der";

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    final RSAPrivateKey privateKey;
    final RSAPublicKey publicKey;
    final String kid;
    final boolean generated;

    private SigningKey(RSAPrivateKey privateKey, RSAPublicKey publicKey, boolean generated) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.generated = generated;
        this.kid = thumbprint(publicKey);
    }

    static SigningKey loadOrCreate(Path dir) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        Path priv = dir.resolve(PRIVATE_FILE);
        Path pub = dir.resolve(PUBLIC_FILE);
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        if (Files.exists(priv) && Files.exists(pub)) {
            RSAPrivateKey privateKey =
                    (RSAPrivateKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(priv)));
            RSAPublicKey publicKey =
                    (RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(Files.readAllBytes(pub)));
            if (!privateKey.getModulus().equals(publicKey.getModulus())) {
                throw new GeneralSecurityException("key files in " + dir + " do not belong together");
            }
            return new SigningKey(privateKey, publicKey, false);
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        writeAtomically(priv, pair.getPrivate().getEncoded(), true);
        writeAtomically(pub, pair.getPublic().getEncoded(), false);
        return new SigningKey((RSAPrivateKey) pair.getPrivate(), (RSAPublicKey) pair.getPublic(), true);
    }

    private static void writeAtomically(Path target, byte[] bytes, boolean secret) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (secret) {
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
        }
        Files.write(tmp, bytes);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The public key as a JWK (RFC 7517) for the JWKS document. */
    Map<String, Object> jwk() {
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kid", kid);
        jwk.put("kty", "RSA");
        jwk.put("alg", "RS256");
        jwk.put("use", "sig");
        jwk.put("n", b64(unsigned(publicKey.getModulus())));
        jwk.put("e", b64(unsigned(publicKey.getPublicExponent())));
        return jwk;
    }

    /** The public key as Keycloak's realm endpoint shows it: base64 of the X.509 DER. */
    String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(publicKey.getEncoded());
    }

    /** Compact JWS serialization of {@code claims} signed with RS256. */
    String sign(Map<String, Object> claims) throws GeneralSecurityException {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("typ", "JWT");
        header.put("kid", kid);
        String signingInput = b64(Json.write(header).getBytes(StandardCharsets.UTF_8)) + "."
                + b64(Json.write(claims).getBytes(StandardCharsets.UTF_8));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initSign(privateKey);
        rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + b64(rs256.sign());
    }

    static String b64(byte[] bytes) {
        return B64URL.encodeToString(bytes);
    }

    /** Big-endian unsigned magnitude, without the sign byte BigInteger may add (RFC 7518 6.3.1). */
    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            return Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return bytes;
    }

    /** RFC 7638 thumbprint: SHA-256 over the required members in lexicographic order. */
    private static String thumbprint(RSAPublicKey key) {
        String canonical = "{\"e\":\"" + b64(unsigned(key.getPublicExponent()))
                + "\",\"kty\":\"RSA\",\"n\":\"" + b64(unsigned(key.getModulus())) + "\"}";
        try {
            return b64(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
