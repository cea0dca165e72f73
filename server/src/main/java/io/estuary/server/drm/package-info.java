/** Key delivery for the streams this server encrypts: the ClearKey license and key endpoints. */
package io.estuary.server.drm;
