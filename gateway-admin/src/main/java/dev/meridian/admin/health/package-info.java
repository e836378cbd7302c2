/** Actuator health contributions that report whether the data plane can take traffic. */
package dev.meridian.admin.health;
