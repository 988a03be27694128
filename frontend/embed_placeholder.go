//go:build !ui

// Package frontend embeds the built single-page app. Built with the "ui" tag
// (as `make build` does) it holds frontend/dist; without it, a placeholder
// page, so that a plain `go build` works before the SPA is built.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed placeholder
var placeholder embed.FS

// Embedded reports whether the built SPA is in this binary.
const Embedded = false

// Files returns the placeholder page.
func Files() fs.FS {
	sub, err := fs.Sub(placeholder, "placeholder")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder
	}
	return sub
}
