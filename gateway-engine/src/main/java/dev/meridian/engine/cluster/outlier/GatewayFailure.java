package dev.meridian.engine.cluster.outlier;

/** A failure the gateway observed itself, with no response from the endpoint to show for it. */
public enum GatewayFailure {
    /** The connection was refused or failed before it was established. */
    CONNECT_FAILURE,
    /** The connection was not established within the connect timeout. */
    CONNECT_TIMEOUT,
    /** The connection closed or reset before the response head arrived. */
    RESET,
    /** No response head within the per-try or route timeout. */
    TIMEOUT
}
