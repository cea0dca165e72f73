/**
 * Where each stream's content key comes from: the {@code estuary.drm} policy of a stream, the key providers
 * (static keys from config, keys generated and kept by this server, a CPIX key server) and {@link
 * io.estuary.packager.drm.keys.StreamKeys}, which turns a stream's name into its {@code StreamProtection} and
 * answers a license endpoint's "which key has this key ID?" for the keys it handed out. Every look-up is
 * asynchronous: a key server is a network call, and neither an event loop nor a stream's packaging thread may wait.
 */
package io.estuary.packager.drm.keys;
