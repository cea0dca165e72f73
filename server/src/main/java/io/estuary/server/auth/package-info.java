/** Who may use the server's guarded endpoints. */
package io.estuary.server.auth;
