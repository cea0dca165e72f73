package io.estuary.packager.drm.keys;

/**
 * A stream's key could not be had: no static key for it, a key server that failed or answered nonsense. The
 * message says which stream and why, never the key.
 */
public final class KeyProviderException extends RuntimeException {

    public KeyProviderException(String message) {
        super(message);
    }

    public KeyProviderException(String message, Throwable cause) {
        super(message, cause);
    }
}
