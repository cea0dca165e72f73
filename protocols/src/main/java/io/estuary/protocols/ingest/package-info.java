/** What every ingest protocol shares: the publish/unpublish/refusal log lines. */
package io.estuary.protocols.ingest;
