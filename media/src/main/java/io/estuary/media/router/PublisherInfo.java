package io.estuary.media.router;

/**
 * Who publishes a stream. {@code credential} is the stream key the publisher presented (null with open
 * publishing); it decides whether a second publisher may take a live stream over.
 */
public record PublisherInfo(String protocol, String remoteHost, int remotePort, String credential) {

    /**
     * A reconnecting publisher takes its own stream over: the same key proves it is the owner. With open
     * publishing (no key) only the same host counts as the same publisher.
     */
    public boolean mayTakeOver(PublisherInfo current) {
        if (current.credential != null || credential != null) {
            return credential != null && credential.equals(current.credential);
        }
        return remoteHost != null && remoteHost.equals(current.remoteHost);
    }

    @Override
    public String toString() {
        // The credential is a secret: never print it.
        return protocol + "://" + remoteHost + ":" + remotePort;
    }
}
