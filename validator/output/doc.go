// Package output writes validation results in the formats cnab-validate
// offers: text, json, junit, sarif (2.1.0) and github (workflow commands).
// One file per format, as kubeconform does. Writers receive results in input
// order and may stream (text, github) or collect until Flush (json, junit,
// sarif); they are not safe for concurrent use.
package output
