/** Runnable DJL examples: the {@code bin/hungarian4j-train} training run and the criterion benchmark. */
package dev.hungarian4j.djl.examples;
