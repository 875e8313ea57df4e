/**
 * The service interface every compute backend implements ({@link dev.hungarian4j.spi.ComputeBackend}); callers
 * normally use {@link dev.hungarian4j.HungarianLoss} instead.
 */
package dev.hungarian4j.spi;
