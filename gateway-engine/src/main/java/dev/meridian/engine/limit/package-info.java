/** Abuse limits shared by the event loops: connection counts and token-bucket request rates per client. */
package dev.meridian.engine.limit;
