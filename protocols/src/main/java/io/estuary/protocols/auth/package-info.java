/** Who may publish which stream: the authorizer contract and the stream-key implementation configured in HOCON. */
package io.estuary.protocols.auth;
