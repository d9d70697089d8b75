// The header is the whole module; this file keeps SwiftPM content with a C target.
