package io.einvoicinghub.ksef;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * The cryptography KSeF 2.0 prescribes (sesja-interaktywna.md, uwierzytelnianie.md): RSAES-OAEP with SHA-256
 * and MGF1-SHA-256 for the KSeF token and the session key, AES-256-CBC with PKCS#7 padding for invoices,
 * SHA-256 in Base64 for hashes. Used by the client and, in reverse, by the simulator.
 */
public final class KsefCrypto {

    private static final OAEPParameterSpec OAEP_SHA256 =
            new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);

    private KsefCrypto() {
    }

    /**
     * Encrypts {@code token|timestampMs} for {@code POST /auth/ksef-token}. The plaintext exists only in a
     * byte array that is wiped before this method returns; the caller keeps (and wipes) its own char[].
     */
    public static byte[] encryptKsefToken(char[] ksefToken, long challengeTimestampMs, PublicKey ministryKey) {
        CharBuffer chars = CharBuffer.allocate(ksefToken.length + 21);
        chars.put(ksefToken).put('|').put(Long.toString(challengeTimestampMs)).flip();
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(chars);
        byte[] plain = new byte[bytes.remaining()];
        bytes.get(plain);
        try {
            return rsaOaep(Cipher.ENCRYPT_MODE, ministryKey, plain);
        } finally {
            Arrays.fill(plain, (byte) 0);
            Arrays.fill(chars.array(), '\0');
            if (bytes.hasArray()) {
                Arrays.fill(bytes.array(), (byte) 0);
            }
        }
    }

    /** RSA-OAEP (SHA-256, MGF1-SHA-256) encryption, as KSeF expects for the token and the session key. */
    public static byte[] rsaOaepEncrypt(PublicKey key, byte[] plain) {
        return rsaOaep(Cipher.ENCRYPT_MODE, key, plain);
    }

    /** The reverse of {@link #rsaOaepEncrypt}; used by the simulator with its own private key. */
    public static byte[] rsaOaepDecrypt(PrivateKey key, byte[] cipherText) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, OAEP_SHA256);
        return cipher.doFinal(cipherText);
    }

    private static byte[] rsaOaep(int mode, java.security.Key key, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
            cipher.init(mode, key, OAEP_SHA256);
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA-OAEP failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /** AES-256-CBC with PKCS#7 padding (Java calls it PKCS5Padding; for AES the two are the same). */
    public static byte[] aesEncrypt(byte[] plain, byte[] key, byte[] iv) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return cipher.doFinal(plain);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CBC encryption failed: " + e.getClass().getSimpleName(), e);
        }
    }

    public static byte[] aesDecrypt(byte[] cipherText, byte[] key, byte[] iv) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        return cipher.doFinal(cipherText);
    }

    /** SHA-256 of {@code data}, Base64 encoded: KSeF's {@code invoiceHash} / {@code encryptedInvoiceHash}. */
    public static String sha256Base64(byte[] data) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
