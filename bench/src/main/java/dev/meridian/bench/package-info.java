/** JMH micro-benchmarks whose packages mirror the engine; every suite measures a named anchor in the same run. */
package dev.meridian.bench;
