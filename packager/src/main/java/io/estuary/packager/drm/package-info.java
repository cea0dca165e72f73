/**
 * Common Encryption (ISO/IEC 23001-7, {@code cenc} and {@code cbcs}) of CMAF tracks, the {@code pssh} data of
 * each DRM system, and the key providers that give each stream its content key.
 */
package io.estuary.packager.drm;
