package dev.taskgate.webhooks;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Secrets and signatures of the Standard Webhooks specification: a secret is {@code whsec_} and
 * the base64 of its key bytes; a signature is {@code v1,} and the base64 of HMAC-SHA256 over
 * {@code <webhook-id>.<webhook-timestamp>.<body>}; several signatures are separated by spaces.
 */
public final class WebhookSignature {

    static final String PREFIX = "whsec_";
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignature() {
    }

    /** New random key bytes. */
    static byte[] newKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    /** The secret as shown to the tenant, once. */
    static String secret(byte[] key) {
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The {@code webhook-signature} header value: one signature per key, current key first. */
    public static String header(String id, long timestamp, String body, List<byte[]> keys) {
        byte[] content = (id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8);
        return keys.stream().map(key -> "v1," + Base64.getEncoder().encodeToString(hmac(key, content)))
                .collect(Collectors.joining(" "));
    }

    /** The key bytes of a {@code whsec_} secret. */
    public static byte[] key(String secret) {
        return Base64.getDecoder().decode(secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret);
    }

    private static byte[] hmac(byte[] key, byte[] content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
