/** The control plane: Spring Boot bindings that observe and steer the engine from the management port. */
package dev.meridian.admin;
