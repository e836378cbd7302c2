/** The Spring Boot main of Meridian and its process-wide settings. */
package dev.meridian.app;
