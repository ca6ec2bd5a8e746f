package catalog

// Spec rules: one entry per normative statement of the CNAB specification
// (spec-rules.md section 2), in the spec's own section order. Texts are the
// project's wording; the link points at the spec text on the main branch and
// the validator swaps in the tag of the version a document is checked against.

const specRepo = "https://github.com/cnabio/cnab-spec/blob/main/"

// sectionFiles maps a spec section number to its markdown file.
var sectionFiles = map[string]string{
	"101": "101-bundle-json.md",
	"102": "102-invocation-image.md",
	"103": "103-bundle-runtime.md",
	"104": "104-bundle-formats.md",
	"201": "201-representing-CNAB-in-OCI.md",
	"301": "301-metadata-repositories.md",
	"302": "302-signing-workflows.md",
	"303": "303-verification-workflows.md",
	"400": "400-claims.md",
	"500": "500-CNAB-dependencies.md",
	"801": "801-bundle-middleware.md",
	"802": "802-credential-sets.md",
	"804": "804-well-known-custom-actions.md",
	"805": "805-airgap.md",
	"810": "810-parameter-sources.md",
}

// SectionLink is the spec link of a section at a spec tag ("main" when tag is empty).
func SectionLink(section, tag string) string {
	f, ok := sectionFiles[section]
	if !ok {
		return ""
	}
	if tag == "" {
		tag = "main"
	}
	return "https://github.com/cnabio/cnab-spec/blob/" + tag + "/" + f
}

// Targets, as in the research notes.
const (
	TDoc      Target = "D"
	TOtherDoc Target = "C"
	TImage    Target = "I"
	TTool     Target = "T"
	TRegistry Target = "R"
	TArchive  Target = "A"
)

// sr builds a spec rule; the link is derived from the section.
func sr(id string, lvl Level, sec, ver string, tg []Target, schema bool, title, text, example, fix string) Rule {
	return Rule{ID: id, Level: lvl, Section: sec, Versions: ver, Targets: tg, Schema: schema,
		Title: title, Text: text, Example: example, Fix: fix, Link: specRepo + sectionFiles[sec]}
}

var (
	d  = []Target{TDoc}
	c  = []Target{TOtherDoc}
	t  = []Target{TTool}
	i  = []Target{TImage}
	r  = []Target{TRegistry}
	a  = []Target{TArchive}
	dt = []Target{TDoc, TTool}
	it = []Target{TImage, TTool}
	ct = []Target{TOtherDoc, TTool}
	da = []Target{TDoc, TArchive}
	at = []Target{TArchive, TTool}
	ti = []Target{TTool, TImage}
)

func init() {
	register(
		// 101: bundle.json
		sr("B-101-01", Must, "101", "1.0+", d, false, "bundle.json is Canonical JSON",
			"The bytes of a bundle.json are Canonical JSON (see F-104-07): no insignificant whitespace, sorted unique keys, and the number form the version's canonical rules allow.",
			`{ "name": "x" }`, "Re-serialise the file in canonical form (cnab-validate canonicalize)."),
		sr("B-101-02", Must, "101", "1.0+", d, true, "schemaVersion is present",
			"Every bundle names the spec version it follows in the top-level schemaVersion field.",
			`{"name":"x","version":"1.0.0","invocationImages":[{"image":"a"}]}`, `Add "schemaVersion": "v1.2.0" (or the version the bundle follows).`),
		sr("B-101-03", Must, "101", "1.0+", d, false, "schemaVersion is a v-prefixed SemVer naming a known spec version",
			"schemaVersion is SemVer 2 with a leading v (v1, or vX.Y.Z with an optional -WD/-CR marker) and names the schema the bundle actually follows. The validator knows v1, v1.0.0-WD, v1.0.0, v1.0.1, v1.1.0 and v1.2.0; any other value is checked against the latest spec.",
			`"schemaVersion": "1.2"`, `Use one of v1.0.0, v1.1.0 or v1.2.0.`),
		sr("B-101-04", Must, "101", "1.0+", d, true, "name and version are present",
			"A bundle has a name and a version; fields that do not conform should make tools fail.",
			`{"schemaVersion":"v1.2.0","invocationImages":[{"image":"a"}]}`, `Add "name" and "version" at the top level.`),
		sr("B-101-05", Must, "101", "1.0+", d, false, "name uses graphic characters only",
			"The bundle name contains only Unicode graphic characters: letters, marks, numbers, punctuation, symbols and spaces. Control characters such as newline or tab are not allowed.",
			`"name": "my\tbundle"`, "Remove control characters (tabs, newlines) from the name."),
		sr("B-101-06", Must, "101", "1.0+", d, false, "version is SemVer 2",
			"The bundle version is a SemVer 2 string (MAJOR.MINOR.PATCH with optional pre-release and build metadata). The published schema pattern is not anchored, so it accepts values such as banana1.",
			`"version": "latest1"`, `Use a full SemVer 2 version such as "1.2.3" or "1.2.3-rc.1".`),
		sr("B-101-07", Should, "101", "1.0+", d, false, "license is an SPDX identifier",
			"When possible the license field holds an SPDX license identifier or expression.",
			`"license": "the apache one"`, `Use an SPDX identifier such as "Apache-2.0".`),
		sr("B-101-08", Required, "101", "1.0+", d, true, "every maintainer has a name",
			"Each entry of maintainers has a name; email and url are optional.",
			`"maintainers": [{"email": "a@example.com"}]`, `Add "name" to each maintainer.`),
		sr("B-101-09", Must, "101", "1.0+", d, false, "at least one invocation image",
			"invocationImages lists at least one image (also stated in 102). The schema has no minItems, so an empty list passes it.",
			`"invocationImages": []`, "Add the bundle's invocation image to invocationImages."),
		sr("B-101-10", Must, "101", "1.0+", []Target{TDoc, TTool}, false, "imageType is a known image format",
			"imageType describes the image format and defaults to oci; every compliant tool implements docker and oci. Other values are allowed by the schema but most tools cannot run them.",
			`"imageType": "vm"`, `Use "oci" or "docker", or remove imageType.`),
		sr("B-101-11", Must, "101", "1.0+", d, false, "image is a locatable reference",
			"Every image and invocation image has an image field that is a path-like or URI-like reference locatable without further information.",
			`{"image": ""}`, "Set image to a full reference such as registry.example.com/org/app@sha256:..."),
		sr("B-101-12", Must, "101", "1.0+", d, false, "contentDigest is an OCI digest",
			"contentDigest values of images and invocation images have the OCI form algorithm:encoded, with a lowercase hex encoding of the right length for sha256 (64) and sha512 (128).",
			`"contentDigest": "abc"`, `Use the form "sha256:<64 hex digits>".`),
		sr("B-101-13", Must, "101", "1.1+", dt, false, "contentDigest is the manifest digest",
			"For oci and docker images contentDigest is the registry manifest (repository) digest, not the image ID (config digest).",
			`"contentDigest": "sha256:<the image ID from docker images --digests>"`, "Take the digest the registry reports for the manifest (docker buildx imagetools inspect, crane digest)."),
		sr("B-101-14", Must, "101", "1.0+", d, false, "images carry contentDigest when the bundle is transmitted",
			"A bundle ready to be transmitted, thin or thick, has contentDigest on every image and invocation image. The validator reports a missing digest as a warning for a bundle under development, and as an error when release checks are on (Options.RequireCanonical, cnab-validate --canonical).",
			`"invocationImages": [{"image": "example.com/app:1.0"}]`, "Add contentDigest with each image's manifest digest before publishing."),
		sr("B-101-15", Must, "101", "1.0+", t, false, "runtime validates image digests",
			"When contentDigest is present the runtime validates the image against it before any action; it should report an error when the digest is missing and may offer an override.",
			"", ""),
		sr("B-101-16", Should, "101", "1.0+", t, false, "runtime verifies image size",
			"The runtime should verify an image's size for thick bundles and may do so for thin bundles.", "", ""),
		sr("B-101-17", Must, "101", "1.0+", t, false, "runtime picks the first suitable invocation image",
			"With no suitable invocation image the runtime reports an error and stops; with several, it runs only the first one in list order.", "", ""),
		sr("B-101-18", Should, "101", "1.0+", d, false, "images are referenced by digest",
			"images.*.image should be a content-addressed (digested) reference rather than a tag.",
			`"image": "example.com/db:latest"`, "Reference the image as repo@sha256:<digest>."),
		sr("B-101-19", Must, "101", "all", d, true, "definitions are valid JSON Schema",
			"Every entry of definitions is a valid JSON Schema in canonical form. Up to 1.1 numeric keywords and defaults are integers and the type number is not allowed (definitions.schema.json); from 1.2 the plain draft-07 meta-schema applies.",
			`"definitions": {"port": {"type": "int"}}`, `Use JSON Schema draft-07 keywords and types ("integer", not "int"); up to 1.1 use integers only.`),
		sr("B-101-20", Recommended, "101", "1.0+", d, false, "defaults validate against their definition",
			"A definition's default value is valid against that definition.",
			`"port": {"type": "integer", "default": "eighty"}`, "Change the default to a value the definition accepts."),
		sr("B-101-21", MustNot, "101", "1.0+", t, false, "writeOnly values are never shown",
			"Values whose definition has writeOnly: true are never written to logs or user-facing output.", "", ""),
		sr("B-101-22", Should, "101", "1.0+", t, false, "runtime warns on ignored readOnly values",
			"For readOnly definitions the runtime warns when a new value is ignored on later actions.", "", ""),
		sr("B-101-23", Required, "101", "1.0+", d, true, "parameters have definition and destination",
			"Every parameter has a definition (the name of an entry of definitions) and a destination.",
			`"parameters": {"port": {"definition": "port"}}`, `Add "destination": {"env": "PORT"} (or a path).`),
		sr("B-101-24", Must, "101", "1.0+", d, false, "definition names an existing definition",
			"parameters.*.definition and outputs.*.definition name a key of the top-level definitions object. Dangling names pass the schema.",
			`"parameters": {"port": {"definition": "prot", "destination": {"env": "PORT"}}}`, "Fix the name or add the missing entry to definitions."),
		sr("B-101-25", Must, "101", "1.0+", d, false, "destination has env or path",
			"A parameter destination sets at least one of env and path; an empty destination passes the schema.",
			`"destination": {}`, `Set "env" or "path" (or both).`),
		sr("B-101-26", MustNot, "101", "1.0+", d, false, "parameter and credential paths are not under /cnab/app/outputs",
			"A parameter destination.path or a credential path is not /cnab/app/outputs or a path below it. CNAB Core 1.0 expressed this with a lookahead pattern that Go cannot compile; from 1.0.1 the schema no longer checks it, so the validator checks it in code.",
			`"destination": {"path": "/cnab/app/outputs/token"}`, "Move the file outside /cnab/app/outputs, e.g. /cnab/app/params/token."),
		sr("B-101-27", MustNot, "101", "1.0+", []Target{TImage, TTool}, false, "parameter and credential files do not exist in the image",
			"The file named by a parameter or credential path does not already exist in the invocation image.", "", ""),
		sr("B-101-28", Must, "101", "1.0+", t, false, "env and path both receive the value",
			"When a destination sets both env and path, the value is delivered to both.", "", ""),
		sr("B-101-29", Informative, "101", "1.0+", d, false, "parameter names look like environment names",
			"Parameter names ought to look like POSIX environment variable names (letters, digits and underscore).",
			`"parameters": {"my port!": {...}}`, "Rename the parameter using letters, digits and _ only."),
		sr("B-101-30", Must, "101", "1.0+", t, false, "missing required parameter fails the action",
			"When a required parameter is missing for an action it applies to, the runtime fails; a default satisfies the requirement.", "", ""),
		sr("B-101-31", Informative, "101", "1.0+ (credentials 1.2+)", d, false, "applyTo names real actions",
			"applyTo restricts a parameter, output or (from 1.2) credential to the listed actions; missing or empty means every action. Each entry should be a built-in action (install, upgrade, uninstall) or a declared custom action. applyTo on a credential before v1.2.0 has no defined meaning.",
			`"applyTo": ["instal"]`, "Use install, upgrade, uninstall or a key of actions."),
		sr("B-101-32", Must, "101", "1.0+", d, false, "credential has env or path, and the path is absolute",
			"Every credential sets at least one of env and path, its name is human-readable, and its path is absolute. An empty credential passes the schema.",
			`"credentials": {"kubeconfig": {}}`, `Set "path": "/home/app/.kube/config" or "env": "KUBECONFIG".`),
		sr("B-101-33", Must, "101", "1.0+", t, false, "credentials are delivered to env and path",
			"A credential with env is set in that environment variable; one with path is written to that file.", "", ""),
		sr("B-101-34", Must, "101", "1.0+", t, false, "missing required credential fails the action",
			"When a required credential is missing the runtime fails (from 1.2 only for actions the credential applies to).", "", ""),
		sr("B-101-35", Should, "101", "1.0+", dt, false, "parameters and credentials do not share env names or paths",
			"A parameter and a credential should not target the same environment variable or the same file; tools should report an error when they do.",
			`parameter destination {"env":"TOKEN"} and credential {"env":"TOKEN"}`, "Give the parameter and the credential different env names and paths."),
		sr("B-101-36", MustNot, "101", "1.0+", t, false, "parameters never override credentials",
			"A parameter value never overrides a credential value.", "", ""),
		sr("B-101-37", ShouldNot, "101", "1.0+", dt, false, "no CNAB_* environment names",
			"Parameters and credentials should not declare environment names starting with CNAB_; runtimes must not let them override the CNAB_* variables they set.",
			`"destination": {"env": "CNAB_ACTION"}`, "Rename the variable without the CNAB_ prefix."),
		sr("B-101-38", Must, "101", "all", t, false, "tools support install, upgrade and uninstall",
			"Every tool supports the built-in actions install, upgrade and uninstall.", "", ""),
		sr("B-101-39", MustNot, "101", "1.0+", dt, false, "no custom action named like a built-in",
			"actions has no key install, upgrade or uninstall, and tools do not allow custom actions with those names.",
			`"actions": {"install": {"modifies": true}}`, "Remove the entry: built-in actions need no declaration. Use a dotted name for a custom action."),
		sr("B-101-40", Should, "101", "1.0+", d, false, "custom action and extension names are dotted names",
			"Custom action names and custom extension keys should be dotted names: at least one dot, components of Unicode letters and - only, no whitespace. Tools must not treat them as DNS names.",
			`"actions": {"backup": {}}`, `Use a namespaced name such as "io.example.backup".`),
		sr("B-101-41", Must, "101", "all", d, false, "modifies is set when an action changes resources",
			"An action that changes any resource managed by the bundle sets modifies: true (default false). Not checkable from the document alone.", "",
			"Set \"modifies\": true on every custom action that changes what the bundle manages."),
		sr("B-101-42", MustNot, "101", "1.0+", t, false, "stateless actions need no credentials or record",
			"For a stateless action the runtime does not fail because credentials are missing, should pass supplied credentials, does not track the action and creates no installation record.", "", ""),
		sr("B-101-43", MustNot, "101", "1.0+", t, false, "tools without custom actions accept bundles declaring them",
			"A tool that does not support custom actions does not fail, at validation or at run time, on a bundle that declares them.", "", ""),
		sr("B-101-44", MustNot, "101", "1.0+", dt, false, "extra fields only under custom",
			"Tools define extra fields only under custom. The root object is closed by the schema; nested objects are open, so misplaced fields there are silently ignored.",
			`{"schemaVersion":"v1.2.0", "x-tool": {}}`, "Move the field under custom with a dotted key, e.g. custom[\"io.example.tool\"]."),
		sr("B-101-45", Must, "101", "1.0+", d, false, "requiredExtensions are unique strings present in custom",
			"Authors list the extensions a bundle needs in requiredExtensions; each entry is a string, appears once and should be a key of custom. The schema does not type the items.",
			`"requiredExtensions": ["io.cnab.dependencies"], "custom": {}`, "Add the extension's data under custom, or remove it from requiredExtensions."),
		sr("B-101-46", Must, "101", "1.0+", t, false, "runtime checks required extensions",
			"Before any action the runtime checks it supports every required extension; if not it may continue or fail but must tell the user.", "", ""),
		sr("B-101-47", Must, "101", "1.0+", d, false, "output paths are distinct and under /cnab/app/outputs",
			"Every output path is a strict subpath of /cnab/app/outputs/ and differs from every other output's path. The schema checks the prefix, not uniqueness.",
			`"outputs": {"a": {"definition":"s","path":"/srv/a"}}`, "Put each output in its own file under /cnab/app/outputs/."),
		sr("B-101-48", Should, "101", "1.0+", t, false, "missing outputs are defaulted or reported",
			"Every output that applies to an action counts as required; if one is missing the runtime writes the definition's default or reports an error.", "", ""),
		sr("B-101-49", Must, "101", "1.0+", t, false, "bundle.json is mounted at /cnab/bundle.json",
			"The runtime mounts the bundle at /cnab/bundle.json in the invocation image.", "", ""),

		// 102: invocation image content
		sr("I-102-01", Must, "102", "all", i, false, "/cnab/app exists", "The image has a /cnab directory at its root containing app/.", "", "Copy your run tool into /cnab/app."),
		sr("I-102-02", Must, "102", "all", i, false, "/cnab/app/run is executable", "/cnab/app/run exists and is executable.", "", "chmod +x /cnab/app/run."),
		sr("I-102-03", Must, "102", "all", it, false, "run reacts to CNAB_ACTION", "The run tool chooses what to do from CNAB_ACTION.", "", ""),
		sr("I-102-04", MustNot, "102", "all", i, false, "/cnab holds only what the spec names",
			"/cnab holds only app/, build/, README.txt or README.md and LICENSE; the rest is reserved. Files the runtime mounts are not baked into the image.", "", ""),
		sr("I-102-05", Should, "102", "all", i, false, "Dockerfile kept at /cnab/build/Dockerfile", "If a Dockerfile built the image, it should be included at /cnab/build/Dockerfile.", "", ""),
		sr("I-102-06", Should, "102", "all", i, false, "default command runs /cnab/app/run", "The image's entrypoint or command should run /cnab/app/run.", "", ""),
		sr("I-102-07", Informative, "102", "all", i, false, "run is the only reserved name under /cnab/app", "Only run is reserved under /cnab/app; other content is up to the author.", "", ""),

		// 103: runtime
		sr("R-103-01", Must, "103", "all", t, false, "runtime executes /cnab/app/run", "The runtime executes /cnab/app/run, directly or through the image's entrypoint.", "", ""),
		sr("R-103-02", Must, "103", "all", it, false, "exit code means success or failure", "Exit code 0 means success, anything else an error; errors should go to stderr.", "", ""),
		sr("R-103-03", Must, "103", "1.0+", t, false, "bundle.json is mounted", "/cnab/bundle.json is mounted into the invocation container.", "", ""),
		sr("R-103-04", Must, "103", "all", t, false, "CNAB_INSTALLATION_NAME, CNAB_BUNDLE_NAME and CNAB_ACTION are set",
			"The runtime sets CNAB_INSTALLATION_NAME, CNAB_BUNDLE_NAME (the bundle name) and CNAB_ACTION.", "", ""),
		sr("R-103-05", Must, "103", "1.0+", t, false, "installation names are unique and graphic", "Installation names are unique and use Unicode graphic characters only.", "", ""),
		sr("R-103-06", Must, "103", "all", t, false, "CNAB_ACTION is a known action", "CNAB_ACTION is a built-in action or one declared in actions.", "", ""),
		sr("R-103-07", Must, "103", "all", t, false, "CNAB_REVISION rules",
			"CNAB_REVISION should be set on install and must be set on upgrade and uninstall; a new revision is made for every modifying action and never for non-modifying ones; it should be a ULID.", "", ""),
		sr("R-103-08", Must, "103", "1.0-1.1", t, false, "CNAB_LAST_REVISION rules",
			"Up to 1.1, CNAB_LAST_REVISION is the previous revision or empty; removed in 1.2.", "", ""),
		sr("R-103-09", May, "103", "all", t, false, "other CNAB_* variables", "The runtime may add other CNAB_* variables; parameters and credentials should not provide them.", "", ""),
		sr("R-103-10", Must, "103", "all", ti, false, "credential and parameter files are attached, never baked",
			"Credential and parameter files are attached before run starts, never part of the image, and should be destroyed after exit.", "", ""),
		sr("R-103-11", Must, "103", "all", t, false, "runtime sends install, upgrade and uninstall", "The runtime can send install, upgrade and uninstall.", "", ""),
		sr("R-103-12", Should, "103", "all", i, false, "images implement install and uninstall", "Images should implement install and uninstall; an unimplemented built-in action is not an error.", "", ""),
		sr("R-103-13", MustNot, "103", "1.0+", t, false, "runtime never compares versions", "The runtime does not block upgrades or downgrades by comparing bundle versions.", "", ""),
		sr("R-103-14", Must, "103", "1.0+", t, false, "failed bundles exit non-zero and are reported", "A bundle that fails exits non-zero and the runtime reports the error.", "", ""),
		sr("R-103-15", Must, "103", "all", t, false, "destination.env is exported under that name", "A parameter with destination.env is exported under exactly that name.", "", ""),
		sr("R-103-16", Must, "103", "1.0+", t, false, "value resolution order",
			"User value, else an error when required, else the default, else the empty string whatever the type.", "", ""),
		sr("R-103-17", Should, "103", "all", t, false, "environment value encoding", "From 1.0.1 strings are passed raw and other values as compact JSON, UTF-8.", "", ""),
		sr("R-103-18", Must, "103", "all", t, false, "destination.path files", "A file is created for destination.path, even for an empty value, readable by the image user, holding exactly the value.", "", ""),
		sr("R-103-19", Must, "103", "1.0+", t, false, "paths are absolute", "Paths are absolute; a relative path is treated as rooted at /.", "", ""),
		sr("R-103-20", Must, "103", "all", t, false, "values validated outside the image", "User values are validated against their definition outside the image before injection.", "", ""),
		sr("R-103-21", Must, "103", "all", t, false, "credential file changes never reach the source", "Changes the run tool makes to credential files never reach their source.", "", ""),
		sr("R-103-22", May, "103", "all", i, false, "run tool and missing credential files", "The run tool may fail when a declared credential file is missing; it should not fail for undeclared ones.", "", ""),
		sr("R-103-23", Must, "103", "1.0+", ct, false, "relocation mapping covers every image",
			"A relocation mapping has a key for every image reference of the bundle (invocation images and images).",
			`{"example.com/app@sha256:...": "mirror.local/app@sha256:..."} without the bundle's other images`, "Add an entry for every image and invocation image reference."),
		sr("R-103-24", May, "103", "1.0+", t, false, "relocation mapping mount", "The mapping may be mounted at /cnab/app/relocation-mapping.json; absence means not relocated. It is an object of string values.", `{"a": 1}`, "Use strings for every mapped reference."),
		sr("R-103-25", Informative, "103", "all", t, false, "privilege and networking are not specified", "The spec says nothing about privileged containers, users, networking or Docker socket mounts.", "", ""),

		// 104: formats
		sr("F-104-01", Must, "104", "all", da, false, "bundles can be thin and thick", "Every compliant bundle can be represented both thin and thick.",
			"a bundle whose images cannot be exported (no contentDigest to locate them)", "Pin every image by digest so the bundle can be exported as a thick archive."),
		sr("F-104-02", Must, "104", "all", t, false, "runtimes support thin bundles", "Runtimes support thin bundles, should support thick ones, and fail clearly on thick bundles they cannot handle.", "", ""),
		sr("F-104-03", Must, "104", "all", d, false, "thin bundle is canonical and schema-valid", "A thin bundle is Canonical JSON and conforms to the schema.", "", "Fix the schema findings and canonicalize the file."),
		sr("F-104-04", Must, "104", "all", a, false, "thick bundle holds every image", "A thick bundle contains bundle.json plus all invocation images and all images.", "", "Re-export the bundle with every image."),
		sr("F-104-05", Must, "104", "all", a, false, "thick bundle layout",
			"A thick bundle should be a gzipped tar with bundle.json at its root and every image under artifacts/layout/, which should be an OCI image layout.", "", "Re-export with an OCI image layout under artifacts/layout."),
		sr("F-104-06", MustNot, "104", "all", at, false, "transports keep bundles byte-identical", "Transports never change contentDigest values or bundle.json; the archive stays byte-identical.", "", ""),
		sr("F-104-07", Must, "104", "all", d, false, "Canonical JSON",
			"Canonical JSON as the spec links it: no insignificant whitespace, object keys sorted and unique, integers only up to 1.1 (RFC 8785 numbers from 1.2), minimal string escaping. Duplicate object keys are never acceptable.",
			`{"b":1,"a":2}`, "Re-serialise with cnab-validate canonicalize; remove duplicate keys."),

		// 201: registries
		sr("G-201-01", Must, "201", "1.1+", r, false, "bundle.json pushed unmodified as the config blob", "bundle.json is pushed as canonical JSON, unmodified, and referenced by digest as an image manifest's config.", "", ""),
		sr("G-201-02", Should, "201", "1.1+", r, false, "config media type", "The config media type is application/vnd.cnab.bundle.config.v1+json, or the OCI config type for registries that reject it.", "", ""),
		sr("G-201-03", Should, "201", "1.1+", r, false, "invocation images are OCI images", "Each invocation image is an OCI image (may be Docker v2); several should be grouped by an index.", "", ""),
		sr("G-201-04", Must, "201", "1.1+", r, false, "component images packaged", "Every form of a component image is packaged and should be grouped by an index.", "", ""),
		sr("G-201-05", Should, "201", "1.1+", r, false, "top level is an OCI index", "The bundle's top level is an OCI image index (may be a Docker manifest list).", "", ""),
		sr("G-201-06", Must, "201", "1.1+", r, false, "index manifest order", "manifests[] lists the bundle.json manifest first, then invocation images, then component images.", "", ""),
		sr("G-201-07", May, "201", "1.1+", r, false, "annotations mirror the bundle", "Bundle information may also appear as annotations; the config blob stays the source of truth.", "", ""),
		sr("G-201-08", Informative, "201", "1.1+", r, false, "example annotations", "The spec's example uses io.cnab.manifest.type and io.cnab.runtime_version annotations, without requiring them.", "", ""),
		sr("G-201-09", Informative, "201", "1.1+", []Target{TRegistry, TTool}, false, "digest expectations", "The config digest is the sha256 of the canonical bundle bytes and relocation never changes digests; push order is not specified.", "", ""),

		// Security
		sr("S-301-01", Should, "301", "security 1.0.0", r, false, "metadata repository roles", "A metadata repository has root, timestamp, snapshot and targets roles with the recommended thresholds and expiries.", "", ""),
		sr("S-302-01", Should, "302", "security 1.0.0", t, false, "signing workflow", "Setup, per-release signing and key-compromise recovery follow the signing workflow.", "", ""),
		sr("S-303-01", Must, "303", "security 1.0.0", t, false, "TUF metadata", "A compliant runtime fetches trusted metadata via the TUF workflow and resolves across repositories with TAP 4.", "", ""),
		sr("S-303-02", Must, "303", "security 1.0.0", t, false, "bundle hashes match TUF targets", "The downloaded bundle's hashes match the TUF targets, otherwise the bundle is discarded and execution stops.", "", ""),
		sr("S-303-03", Must, "303", "security 1.0.0", t, false, "in-toto verification", "When in-toto metadata exists it is fetched via TUF and verified; failure stops execution.", "", ""),
		sr("S-303-04", Must, "303", "security 1.0.0", t, false, "failed verification denies installation", "A failed verification denies installation and should tell the user why.", "", ""),
		sr("S-303-05", Informative, "303", "security 1.0.0", t, false, "what is signed", "A thin bundle is signed by the digest of bundle.json, a thick bundle by the digest of the archive.", "", ""),

		// 400: claims
		sr("C-400-01", Informative, "400", "claims 1.0.0+", ct, false, "a claim is immutable JSON made before each action", "A claim is a JSON document (canonical form not required), immutable, created before each action.", "", ""),
		sr("C-400-02", Must, "400", "claims 1.0.0+", t, false, "last modifying claim kept", "The claim of the last modifying action is kept; older claims may be kept.", "", ""),
		sr("C-400-03", Required, "400", "claims 1.0.0+", c, true, "claim fields",
			"A claim has action, bundle (a full bundle), created, id, installation and revision; bundleReference, custom and parameters are optional. Claims before 1.1 (CNAB Core 1.0) had name, revision, created, modified and bundle.",
			`{"id":"01E2ZZ...","installation":"app"}`, "Add the missing claim fields."),
		sr("C-400-04", Must, "400", "claims 1.0.0+", c, false, "claim id and revision are ULIDs, created is a date",
			"id is a ULID unique to the claim; revision is a ULID; created is an RFC 3339 / ISO 8601 extended date-time.",
			`"id": "1", "created": "yesterday"`, `Use ULIDs such as "01E2ZZ6XR4DM8Q6W8ZB0R3QHJ3" and dates such as "2020-04-21T15:04:05Z".`),
		sr("C-400-05", May, "400", "claims 1.0.0+", c, false, "action may be unknown", "action may be unknown when it cannot be determined.", "", ""),
		sr("C-400-06", Must, "400", "claims 1.0.0+", t, false, "installation names are unique", "installation is unique in its environment.", "", ""),
		sr("C-400-07", MustNot, "400", "claims 1.0.0+", ct, false, "resolved parameters stored, credentials never",
			"Resolved parameters are stored in the claim; credentials are never stored.", `"credentials": {...} in a claim`, "Remove credential values from the claim."),
		sr("C-400-08", Required, "400", "claims 1.0.0+", c, false, "claim result fields",
			"A claim result has claimId, id (a ULID), created and status; message, outputs (name to {contentDigest}) and custom are optional. claimId should name an existing claim.",
			`{"claimId":"01E...","status":"succeeded"}`, "Add the missing fields; use ULIDs and RFC 3339 dates."),
		sr("C-400-09", Informative, "400", "claims 1.0.0+", c, true, "claim result status values",
			"status is one of canceled (cancelled before main), failed, succeeded, pending, running or unknown. pending and running are temporary.",
			`"status": "success"`, `Use "succeeded", "failed", "pending", "running", "unknown" or the cancel spelling of your version.`),
		sr("C-400-10", Informative, "400", "claims 1.0.0+", c, false, "output values are not stored", "Claim results record output digests, not output values (1.0 claims stored values).", "", ""),
		sr("C-400-11", Must, "400", "claims 1.0.0+", t, false, "claim environment variables", "CNAB_INSTALLATION_NAME, CNAB_BUNDLE_NAME, CNAB_ACTION, CNAB_REVISION and CNAB_CLAIMS_VERSION are set.", "", ""),
		sr("C-400-12", Must, "400", "claims 1.0.0+", t, false, "claim mounted at /cnab/claim.json", "The claim is mounted at /cnab/claim.json.", "", ""),
		sr("C-400-13", Informative, "400", "claims 1.0.0+", t, false, "exit code to status", "Exit 0 maps to succeeded, non-zero to failed, a lost connection to unknown.", "", ""),

		// 500: dependencies
		sr("D-500-01", Must, "500", "1.0+", d, false, "io.cnab.dependencies is reserved",
			"The custom key io.cnab.dependencies is reserved for the dependencies extension (called dependencies in the 500 text before PR #404).",
			`"custom": {"dependencies": {"requires": {...}}}`, `Use the key "io.cnab.dependencies".`),
		sr("D-500-02", Required, "500", "1.0+", d, true, "dependencies document shape",
			"requires maps names to {bundle, version{ranges (one or more), prereleases}}; requires has at least one entry. The bundle schema does not check the extension; the validator applies dependencies.schema.json to it.",
			`"io.cnab.dependencies": [{"requires": {}}]`, "Use an object with requires: {name: {bundle: REGISTRY/NAME}}."),
		sr("D-500-03", Must, "500", "1.1+", dt, false, "sequence names required dependencies",
			"When sequence is non-empty the runtime installs dependencies in that order; every entry is a key of requires. The published schema rejects a top-level sequence (a spec bug).",
			`"sequence": ["mysql"], "requires": {"db": {...}}`, "List only keys of requires in sequence."),
		sr("D-500-04", Informative, "500", "1.0+", d, false, "version range syntax", "Ranges are semver with an optional v, x wildcards and A - B ranges.", `"ranges": ["five"]`, `Use ranges such as "1.x" or "1.2.0 - 2.0.0".`),

		// 8xx: non-normative extensions
		sr("X-810-01", Should, "810", "1.1+", dt, false, "parameter sources refer to real parameters and outputs",
			"io.cnab.parameter-sources maps parameter names to {priority, sources}; the parameters and sources.output.name exist in the bundle and every priority entry has a matching source.",
			`"io.cnab.parameter-sources": {"nope": {"priority":["output"],"sources":{"output":{"name":"x"}}}}`, "Name a declared parameter and output."),
		sr("X-804-01", Informative, "804", "all", dt, false, "well-known actions have their defined flags",
			"Well-known actions io.cnab.dry-run, io.cnab.help, io.cnab.log and io.cnab.status have defined stateless and modifies values; io.cnab.status writes an output named status.",
			`"io.cnab.help": {"modifies": true}`, "Use the flags the well-known action defines."),
		sr("X-802-01", Informative, "802", "all", c, false, "credential sets", "A credential set has name, created, modified and credentials[] of {name, source}; no JSON schema exists.", "", ""),
		sr("X-801-01", Informative, "801", "all", t, false, "middleware images", "Middleware images are non-normative.", "", ""),
		sr("X-805-01", Informative, "805", "all", t, false, "air-gapped environments", "Runtimes need not provide a registry; relocation uses the relocation mapping and thick bundles carry images.", "", ""),
	)
}
