// Package images builds the container images the suites need with
// go-containerregistry, from nothing: no base image, nothing pulled. An
// image is one or more layers made in memory (the probe binary at
// /cnab/app/run, or seeded random content for component images) with
// reproducible bytes, so the same input always gives the same digest.
package images
