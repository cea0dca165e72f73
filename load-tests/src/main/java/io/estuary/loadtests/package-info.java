/** Benchmarks that print figures and never assert: ingest-to-part latency, HTTP throughput against nginx. */
package io.estuary.loadtests;
