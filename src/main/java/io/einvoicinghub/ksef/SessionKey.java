package io.einvoicinghub.ksef;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The symmetric key of one online session: 32 random bytes for AES-256 and a 16-byte IV. KSeF receives the
 * key encrypted with the Ministry's public key when the session is opened; every invoice of the session is
 * encrypted with it. A fresh key per session is what the Ministry recommends. Never logged.
 */
public final class SessionKey {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;
    private final byte[] iv;

    private SessionKey(byte[] key, byte[] iv) {
        this.key = key;
        this.iv = iv;
    }

    public static SessionKey generate() {
        byte[] key = new byte[32];
        byte[] iv = new byte[16];
        RANDOM.nextBytes(key);
        RANDOM.nextBytes(iv);
        return new SessionKey(key, iv);
    }

    /** Rebuilds a key kept by the caller (e.g. a resumed run that stored it encrypted). */
    public static SessionKey of(byte[] key, byte[] iv) {
        if (key.length != 32 || iv.length != 16) {
            throw new IllegalArgumentException("AES-256 needs a 32-byte key and a 16-byte IV");
        }
        return new SessionKey(key.clone(), iv.clone());
    }

    public byte[] key() {
        return key.clone();
    }

    public byte[] iv() {
        return iv.clone();
    }

    public byte[] encrypt(byte[] plain) {
        return KsefCrypto.aesEncrypt(plain, key, iv);
    }

    /** Overwrites the key material; the object is unusable afterwards. */
    public void destroy() {
        Arrays.fill(key, (byte) 0);
        Arrays.fill(iv, (byte) 0);
    }

    @Override
    public String toString() {
        return "SessionKey[redacted]";
    }
}
