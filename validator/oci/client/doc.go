// Package client is a small OCI distribution API client (standard library
// plus go-containerregistry's name package): resolve, fetch and write
// manifests and blobs, mount blobs across repositories, delete manifests.
// It moves bytes exactly as given, so callers control what is written, in
// which order, and can verify digests themselves. Anonymous and basic-auth
// token flows are supported; plain HTTP is used for localhost, 127.0.0.1
// and ::1, or for every host when the client is Insecure.
package client
