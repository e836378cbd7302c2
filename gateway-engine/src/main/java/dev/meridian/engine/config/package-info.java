/** The inbound contract: immutable spec records, the one snapshot validator, and TOML/YAML file loading. */
package dev.meridian.engine.config;
