package catalog

// Archive input rules (V-ARCHIVE-NN): what a thick bundle archive (spec 104)
// must be before its content can be checked. They are not spec text: they
// keep the validator safe on hostile archives, which it reads without ever
// extracting them to disk.

func ar(id, title, text, fix string) Rule {
	return Rule{ID: id, Level: Must, Section: "validator", Versions: "all", Targets: []Target{TArchive},
		Title: title, Text: text, Fix: fix,
		Source: "validator safety limit for thick bundle archives (spec 104 says nothing about hostile archives)"}
}

func init() {
	register(
		ar("V-ARCHIVE-01", "archive is a readable tar or gzip tar",
			"A thick bundle is a tar archive, gzip-compressed or not. A corrupt or truncated stream, or anything else, cannot be checked.",
			"Re-create the archive with tar (and gzip)."),
		ar("V-ARCHIVE-02", "no absolute entry names",
			"Entry names are relative to the archive root. An absolute name (/etc/passwd) would be written outside the target folder by a naive extractor.",
			"Create the archive from inside the bundle folder (tar -C DIR -czf bundle.tgz .)."),
		ar("V-ARCHIVE-03", "no entry names that climb out of the archive",
			"No entry name has a '..' component: a naive extractor would write it outside the target folder (zip-slip).",
			"Remove the entry; archive only the bundle folder."),
		ar("V-ARCHIVE-04", "links stay inside the archive",
			"Symbolic and hard links point at entries inside the archive. A link to an absolute path or one that climbs out with '..' lets a later entry be written through it, outside the target folder.",
			"Replace the link with the file it points at, or remove it."),
		ar("V-ARCHIVE-05", "no device files, pipes or other special entries",
			"A thick bundle holds regular files, folders and links only. Character and block devices, FIFOs and unknown entry types are rejected.",
			"Remove the special entry."),
		ar("V-ARCHIVE-06", "no duplicate entry names",
			"Each path appears once. With duplicates, extractors disagree on which copy wins, so a verified blob can be replaced by a later entry.",
			"Re-create the archive from a folder (each path once)."),
		ar("V-ARCHIVE-07", "archive within size limits",
			"The archive has at most the configured number of entries and of uncompressed bytes (per entry and in total); reading stops at the limit so memory and time stay bounded.",
			"Raise the limit if the bundle is legitimately large."),
		ar("V-ARCHIVE-08", "compression ratio within limit",
			"Past the first megabytes, the uncompressed stream is at most the configured multiple of the compressed bytes read (100 by default). Real image layers are already compressed; a higher ratio is a decompression bomb.",
			"Check where the archive comes from; raise the limit only for a trusted archive."),
	)
}
