package provider

// Version is the one version of the plugin, the schema and every SDK. `make` passes it to
// the SDK generator and the plugin's install path.
var Version = "0.1.0"
