package io.einvoicinghub.storage;

/** A backend could not read or write an artifact. Messages never carry credentials. */
public class StorageException extends RuntimeException {

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
