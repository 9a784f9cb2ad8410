package dev.taskgate.webhooks;

import dev.taskgate.config.TaskgateConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Encrypts the webhook signing secrets for storage (AES-256-GCM, a random 96-bit nonce per value).
 * Signing needs the secret itself, so it cannot be hashed. The key is
 * {@code taskgate.webhooks.encryption-key} when configured (then a copy of the database alone
 * reveals no secret); otherwise one generated once and shared by the replicas in
 * {@code server_secrets}, which keeps the secrets out of plain sight in the tables, their dumps and
 * query logs, but not from someone holding the whole database.
 */
@ApplicationScoped
public class SecretBox {

    private static final String KEY_NAME = "webhook-secrets";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EntityManager database;
    private final TaskgateConfig.Webhooks config;
    private volatile SecretKeySpec key;

    public SecretBox(EntityManager database, TaskgateConfig.Webhooks config) {
        this.database = database;
        this.config = config;
    }

    byte[] seal(byte[] plain) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(), new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("webhook secret encryption failed", e);
        }
    }

    byte[] open(byte[] stored) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(), new GCMParameterSpec(TAG_BITS, stored, 0, NONCE_BYTES));
            return cipher.doFinal(stored, NONCE_BYTES, stored.length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored webhook secret cannot be decrypted (was the encryption key changed?)");
        }
    }

    private SecretKeySpec key() {
        SecretKeySpec known = key;
        if (known == null) {
            known = new SecretKeySpec(config.encryptionKey().map(SecretBox::configured).orElseGet(this::shared), "AES");
            key = known;
        }
        return known;
    }

    private static byte[] configured(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("taskgate.webhooks.encryption-key is not base64");
        }
        if (bytes.length != 32) {
            throw new IllegalStateException("taskgate.webhooks.encryption-key must be 32 bytes (base64 of 32 random bytes)");
        }
        return bytes;
    }

    private byte[] shared() {
        byte[] fresh = new byte[32];
        RANDOM.nextBytes(fresh);
        return QuarkusTransaction.requiringNew().call(() -> {
            database.createNativeQuery("INSERT INTO server_secrets (name, secret) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
                    .setParameter(1, KEY_NAME).setParameter(2, fresh).executeUpdate();
            return (byte[]) database.createNativeQuery("SELECT secret FROM server_secrets WHERE name = ?1")
                    .setParameter(1, KEY_NAME).getSingleResult();
        });
    }
}
